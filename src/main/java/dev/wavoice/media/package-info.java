/**
 * The media plane on Kurento: the KurentoClient lifecycle (connect with retry, health ping, reconnect
 * handling, several KMS), one pipeline per call (WebRtcEndpoint ⇄ RtpEndpoint), the SDP fixes WhatsApp
 * needs (ICE-lite role inversion, SHA-256 only, setup:active) and leak reconciliation.
 */
package dev.wavoice.media;
