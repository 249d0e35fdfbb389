// The dashboard's entry: defines every element; index.html holds <parley-admin-app>.
import './components/admin-app/admin-app.js';
