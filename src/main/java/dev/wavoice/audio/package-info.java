/**
 * The audio plane: one RTP socket per call towards Kurento's RtpEndpoint, RTP framing, a small reorder
 * buffer, RTCP reports, G.711 and Opus (concentus; the caller resampled 48 → 24 kHz, the bot encoded
 * just ahead of the wire on a few shared threads), and the one shared 20 ms pacer that sends exactly one frame per call per tick.
 */
package dev.wavoice.audio;
