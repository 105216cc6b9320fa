// Copies the license text of every package inside the bundle next to it.
const fs = require("fs");
const path = require("path");
const pkgs = ["sigma", "graphology", "graphology-utils", "events", "obliterator"];
for (const name of pkgs) {
  const dir = path.join(__dirname, "node_modules", name);
  const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  if (!file) throw new Error(`no license file in ${name}`);
  const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  fs.writeFileSync(path.join(__dirname, "..", "vendor", `LICENSE-${name}.txt`), `${name} ${version}\n\n${text}`);
}
