/**
 * The audio plane: one RTP socket per call towards Kurento's RtpEndpoint, RTP framing, a small reorder
 * buffer, RTCP reports, G.711 and Opus (concentus) with 48 ⇄ 24 kHz resampling, and the one shared 20 ms
 * pacer that sends exactly one frame per call per tick.
 */
package dev.wavoice.audio;
