"""`clearance audit`: the compliance officer's view over one or many repositories.

`discover` finds repositories, manifests and waivers and reads git state;
`build` runs the check engine over them with one bundle and shapes the
inventory, obligations, waivers and evidence (`model`); `history` keeps every
audit in SQLite and says what changed; `formats/` renders the result (html,
csv, json, cyclonedx). Kept out of the check's import path: nothing here is
loaded unless `clearance audit` runs.
"""
