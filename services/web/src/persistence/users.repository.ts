import type { Connection } from 'mongoose';
import { AppError } from '@sanad/errors';
import { isDuplicateKeyError } from '@sanad/messaging';
import type { User } from '../domain/user';

type UserDocument = Omit<User, 'id'> & { _id: string };

const toUser = ({ _id, ...rest }: UserDocument): User => ({ id: _id, ...rest });

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Users of the web app, in its own database. The email is unique (case-insensitive). */
export function createUserRepository(db: Connection) {
  const users = db.collection<UserDocument>('users');

  return {
    async ensureIndexes(): Promise<void> {
      await users.createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
      await users.createIndex({ 'invitation.hash': 1 }, { name: 'invitation_hash' });
    },

    async findById(id: string): Promise<User | null> {
      const doc = await users.findOne({ _id: id });
      return doc ? toUser(doc) : null;
    },

    async findByEmail(email: string): Promise<User | null> {
      const doc = await users.findOne({ email: normaliseEmail(email) });
      return doc ? toUser(doc) : null;
    },

    async findByInvitation(hash: string): Promise<User | null> {
      const doc = await users.findOne({ 'invitation.hash': hash });
      return doc ? toUser(doc) : null;
    },

    /** Throws CONFLICT naming `email` when the address is taken. */
    async insert(user: User): Promise<void> {
      const { id, ...rest } = user;
      try {
        await users.insertOne({ _id: id, ...rest, email: normaliseEmail(rest.email) });
      } catch (error) {
        if (isDuplicateKeyError(error))
          throw AppError.conflict('a user with this email exists', { field: 'email' });
        throw error;
      }
    },

    /** Sets fields; with `expect`, only if the stored document still matches (else false). */
    async update(
      id: string,
      fields: Partial<Omit<User, 'id' | 'email' | 'createdAt'>>,
      expect: Record<string, unknown> = {},
    ): Promise<boolean> {
      const result = await users.updateOne({ _id: id, ...expect }, { $set: fields });
      return result.matchedCount === 1;
    },

    async list({ limit = 200 }: { limit?: number } = {}): Promise<User[]> {
      const docs = await users.find({}).sort({ email: 1 }).limit(limit).toArray();
      return docs.map(toUser);
    },

    /** Active users of one role, by name (for choosing a coach). */
    async activeWithRole(role: User['role']): Promise<User[]> {
      const docs = await users
        .find({ role, status: 'active' })
        .sort({ displayName: 1 })
        .limit(500)
        .toArray();
      return docs.map(toUser);
    },

    async count(): Promise<number> {
      return users.countDocuments({});
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
