/** Companies (tenants): their keys, sites and settings, and onboarding a new one. */
export { default as companies, CompanyRepository, hashApiKey, newApiKey, newSiteKey, type Company, type CompanyChanges } from './companies.js';
export { default as companyRoutes, toCompanyView } from './companies.routes.js';
export { onboardCompany, type NewCompany } from './onboarding.js';
