/**
 * POST /internal/checkin-invitations: the request and answer are the shared contract between the
 * check-in and placement services (see @sanad/contracts).
 */
export {
  CheckinInvitationRequest as CheckinInvitationBody,
  CheckinInvitationOutcome as CheckinInvitationOutcomeView,
} from '@sanad/contracts';
