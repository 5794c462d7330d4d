import { Schema, type Connection } from 'mongoose';
import type { ContactRole, Region, Sector } from '../domain/employer';
import type { Language } from '../domain/participant';

export const EMPLOYERS_COLLECTION = 'employers';

export interface EmployerContactDocument {
  id: string;
  role: ContactRole;
  fullName: string;
  email: string | null;
  phone: string | null;
  preferredLanguage: Language;
}

/**
 * The employer as stored. `nameKey` is the name in lower case: what lists sort by and `q` searches,
 * so that "acme" and "Acme" sit together.
 */
export interface EmployerDocument {
  _id: string;
  name: string;
  nameKey: string;
  sector: Sector;
  region: Region;
  contacts: EmployerContactDocument[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Writes go through the native collection; the schema is here for its indexes. */
const EmployerSchema = new Schema<EmployerDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    sector: { type: String, required: true },
    region: { type: String, required: true },
    version: { type: Number, required: true },
  },
  { collection: EMPLOYERS_COLLECTION, versionKey: false, strict: false, autoIndex: false },
);

// Lists are sorted by name.
EmployerSchema.index({ nameKey: 1, _id: 1 });

export const employerModel = (db: Connection) =>
  db.model<EmployerDocument>('Employer', EmployerSchema);
