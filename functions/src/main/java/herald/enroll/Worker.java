package herald.enroll;

import herald.auth.Principal;

/**
 * Who asks for work: the sender that holds jobs, its sender type, the user recorded on jobs it creates, and the
 * caller behind it (recorded on those jobs as who caused them).
 */
record Worker(String sender, String senderType, String user, Principal principal) {
}
