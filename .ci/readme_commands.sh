#!/usr/bin/env bash
# Print the README's set-up commands: the command lines (not the comments) of its first ```bash block.
# .ci/run executes exactly these lines, so the README's promise is what CI checks.
awk '/^```bash$/ && !seen {inside=1; seen=1; next} inside && /^```$/ {exit} inside && !/^[[:space:]]*#/ && NF' "${1:-README.md}"
