/**
 * WhatsApp Business Cloud API: the signed {@code calls} webhook (verification, signature, parsing into
 * records, de-duplication, asynchronous dispatch as CDI events) and the Graph API client for call
 * actions, calling settings, permissions and messages.
 */
package dev.wavoice.whatsapp;
