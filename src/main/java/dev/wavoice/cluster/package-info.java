/**
 * Several wavoice instances as one cluster on Payara Micro's own data grid (Hazelcast, off unless
 * {@code wavoice.cluster.enabled}): who holds each live call, webhooks handed to the holder,
 * de-duplication and the operators' view across members, and the clean-up after a member is lost.
 * Only JSON text goes into the grid.
 */
package dev.wavoice.cluster;
