import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';
import { User } from './auth.js';

/** An origin such as `https://shop.example` (scheme, host, optional port; no path). */
export const Origin = Type.String({ pattern: '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$', maxLength: 300 });

/** A company (tenant) as its admins see it. The API key is never shown again after it is made. */
export const CompanyView = Strict({
  id: Type.String(),
  name: Type.String(),
  site_key: Type.String(),
  allowed_origins: Type.Array(Type.String()),
  has_api_key: Type.Boolean(),
  is_default: Type.Boolean(),
  created_at: Type.String(),
});
export type CompanyView = Static<typeof CompanyView>;

/** `POST /api/companies` (owner): a new company and its first admin. */
export const CreateCompanyRequest = Strict({
  name: Type.String({ minLength: 1, maxLength: 120 }),
  allowed_origins: Type.Optional(Type.Array(Origin, { maxItems: 50 })),
  admin: Type.Optional(
    Strict({
      email: Type.String({ minLength: 3, maxLength: 254 }),
      name: Type.String({ minLength: 1, maxLength: 120 }),
      password: Type.String({ minLength: 8, maxLength: 200 }),
    }),
  ),
});
export type CreateCompanyRequest = Static<typeof CreateCompanyRequest>;

/** Answer to `POST /api/companies`: the API key appears here once. */
export const CreateCompanyResponse = Strict({
  company: CompanyView,
  api_key: Type.String(),
  admin: Type.Optional(User),
});
export type CreateCompanyResponse = Static<typeof CreateCompanyResponse>;

/** `GET /api/companies` (owner). */
export const CompanyList = Strict({ companies: Type.Array(CompanyView) });
export type CompanyList = Static<typeof CompanyList>;

/** `PATCH /api/company` (admin): rename, set allowed origins, rotate the site key or the API key. */
export const UpdateCompanyRequest = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  allowed_origins: Type.Optional(Type.Array(Origin, { maxItems: 50 })),
  rotate_site_key: Type.Optional(Type.Boolean()),
  rotate_api_key: Type.Optional(Type.Boolean()),
});
export type UpdateCompanyRequest = Static<typeof UpdateCompanyRequest>;

/** Answer to `GET/PATCH /api/company`; `api_key` only right after a rotation. */
export const CompanyResponse = Strict({ company: CompanyView, api_key: Type.Optional(Type.String()) });
export type CompanyResponse = Static<typeof CompanyResponse>;
