"""Maps the top-level ``queries/`` and ``viz/`` folders into the wheel.

They live at the repository root (where users look for them) but ship as the
data packages ``graphbuild.queries`` and ``graphbuild.viz``; ``graphbuild.assets``
finds them in either place. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["graphbuild", "graphbuild.*"]), "graphbuild.queries", "graphbuild.viz"],
    package_dir={"graphbuild.queries": "queries", "graphbuild.viz": "viz"},
    package_data={
        "graphbuild": ["data/**/*", "py.typed"],
        "graphbuild.queries": ["*.cypher"],
        "graphbuild.viz": ["**/*"],
    },
    # the npm workspace that builds viz/vendor is source, not something the wheel needs
    exclude_package_data={"graphbuild.viz": ["build/*", "build/**/*"]},
    include_package_data=False,
)
