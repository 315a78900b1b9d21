"""Checks the C header the Swift bindings import, without a Swift compiler.

Usage: python3 check_swift_header.py CertqrFFI.h libcertqr_ffi.so

1. The header compiles as C (`cc -fsyntax-only`, warnings as errors), included from a
   file as Swift's module map includes it. GCC lacks Clang's nullability qualifiers
   (`_Nonnull`, `_Nullable`), which only annotate pointers; they are defined away.
2. Every function the header declares is defined and exported by the library
   (`nm -D --defined-only`): a Swift app would otherwise fail to link.
"""

import pathlib
import re
import subprocess
import sys
import tempfile

# A declaration starts a line: a return type, then the function's name and "(".
DECLARATION = re.compile(r"^(?!typedef\b)[A-Za-z_][\w \*]*?\b([A-Za-z_]\w*)\s*\(", re.MULTILINE)
# The bindings declare well over this many functions (constructors, methods, checksums,
# buffer and future helpers); fewer means the parsing above is broken.
MIN_FUNCTIONS = 40


def main(header, library):
    header = pathlib.Path(header).resolve()
    with tempfile.TemporaryDirectory() as work:
        source = pathlib.Path(work) / "include.c"
        source.write_text(f'#include "{header.name}"\n')
        subprocess.run(
            ["cc", "-fsyntax-only", "-std=c11", "-Wall", "-Wextra", "-Werror",
             "-D_Nonnull=", "-D_Nullable=", "-I", str(header.parent), str(source)],
            check=True,
        )
    declared = set(DECLARATION.findall(header.read_text()))
    if len(declared) < MIN_FUNCTIONS:
        sys.exit(f"only {len(declared)} functions found in {header.name}: is the parsing broken?")
    symbols = subprocess.run(
        ["nm", "-D", "--defined-only", library], check=True, capture_output=True, text=True
    ).stdout
    defined = {line.split()[-1] for line in symbols.splitlines() if line.strip()}
    missing = sorted(declared - defined)
    if missing:
        sys.exit(f"declared in {header.name} but not defined by {library}: {', '.join(missing)}")
    print(f"{header.name} compiles; its {len(declared)} functions are all defined by {pathlib.Path(library).name}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
