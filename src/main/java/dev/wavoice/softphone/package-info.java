/**
 * The browser softphone: a WebSocket signalling endpoint that turns a browser's WebRTC offer and trickled
 * candidates into a call of the call layer (channel {@code softphone}), so operators can try the agent
 * through the same pipeline WhatsApp calls use.
 */
package dev.wavoice.softphone;
