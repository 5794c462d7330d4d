import { z } from 'zod';

export const Role = z.enum(['admin', 'programme-manager', 'coach', 'employer-user']);
export type Role = z.infer<typeof Role>;

/**
 * Who is calling a service, as the web app vouches for it in a short-lived signed token. Ids only:
 * no name, no email.
 */
export const Caller = z
  .object({
    userId: z.uuid(),
    role: Role,
    programmeIds: z.array(z.uuid()).max(200),
    employerId: z.uuid().nullable(),
  })
  .strict();
export type Caller = z.infer<typeof Caller>;

/** The audience of each service's tokens: a token made for one service is refused by the others. */
export const ServiceAudiences = {
  placement: 'placement',
  checkin: 'checkin',
  alerting: 'alerting',
} as const;
export type ServiceAudience = (typeof ServiceAudiences)[keyof typeof ServiceAudiences];
