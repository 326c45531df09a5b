"""Policy bundles: layers, catalogue and licences, compiled rules, the snapshot, and
`judge`, the one way every command obtains the bundle that judges it."""
