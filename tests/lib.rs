//! One integration-test binary (one link step): oracles, mass balance, properties, boundaries,
//! errors, literature checks and the CLI.

mod suite;
