/**
 * The canonical data model: the system-neutral shape every event on the ESB's topics has, whichever system it
 * came from or goes to. Each type is a Java record (serialised with Jackson) with one JSON Schema under
 * {@code schemas/canonical/} ({@link io.conduit.esb.canonical.CanonicalSchemas}); the schema is the contract, the
 * record is a convenience for Java code. {@link io.conduit.esb.canonical.Envelope} carries the event metadata
 * as CloudEvents headers beside the payload.
 */
package io.conduit.esb.canonical;
