/**
 * Operations: MicroProfile Health checks (live, ready), metrics, the admin API and the operator
 * console. Nothing here is on the call path; it observes and controls.
 */
package dev.wavoice.ops;
