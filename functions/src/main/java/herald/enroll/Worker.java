package herald.enroll;

/** Who asks for work: the sender that holds jobs, its sender type, and the user recorded on jobs it creates. */
record Worker(String sender, String senderType, String user) {
}
