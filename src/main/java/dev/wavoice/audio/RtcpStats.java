package dev.wavoice.audio;

/**
 * RTCP of a call since it started.
 *
 * @param reportsSent compound reports (SR + SDES) we sent
 * @param compoundsReceived well-formed compound packets received from Kurento
 * @param malformedReceived datagrams on the RTCP port that were not well-formed RTCP
 * @param senderReports SR packets received
 * @param receiverReports RR packets received
 * @param sdes SDES packets received
 * @param byes BYE packets received
 * @param other other packet types received (APP, feedback)
 * @param remoteFractionLost Kurento's latest report on our stream: fraction lost, in 1/256
 * @param remoteCumulativeLost Kurento's latest report on our stream: packets lost in total
 * @param remoteJitterMicros Kurento's latest report on our stream: interarrival jitter
 */
public record RtcpStats(long reportsSent, long compoundsReceived, long malformedReceived, long senderReports,
    long receiverReports, long sdes, long byes, long other, int remoteFractionLost, long remoteCumulativeLost,
    long remoteJitterMicros) {}
