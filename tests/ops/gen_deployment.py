"""Writes a large inventory: the PCCE example lab's hosts repeated (`pga-01`, `pga-02`…, the
AW/ADS pair once) until there are N, every file path made absolute so the inventory can live anywhere. Each copy keeps
the lab's problems, so the report has every status and many findings.

Usage: gen_deployment.py EXAMPLE_DIR N OUT.toml
"""

import os
import sys
import tomllib


def value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def table(lines, name, d):
    lines.append(f"[{name}]")
    for k, v in d.items():
        if not isinstance(v, (dict, list)) or (isinstance(v, list) and not v or not isinstance(v[0], dict)):
            lines.append(f"{k} = {value(v)}")
    for k, v in d.items():
        if isinstance(v, dict):
            table(lines, f"{name}.{k}", v)
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            for item in v:
                lines.append(f"[[{name}.{k}]]")
                for ik, iv in item.items():
                    lines.append(f"{ik} = {value(iv)}")


PATH_KEYS = {"path", "password_file"}


def absolute(base, d):
    for k, v in list(d.items()):
        if k in PATH_KEYS and isinstance(v, str):
            d[k] = os.path.join(base, v)
    return d


def main():
    example, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(os.path.join(example, "inventory.toml"), "rb") as f:
        inv = tomllib.load(f)
    base = os.path.abspath(example)
    dep = inv["deployment"]
    dep["name"] = f"{n}-host deployment (the PCCE lab repeated)"
    dep["ca"] = [os.path.join(base, c) for c in dep.get("ca", [])]
    hosts = []
    copy = 0
    while len(hosts) < n:
        copy += 1
        for h in inv["host"]:
            if len(hosts) == n:
                break
            # A large deployment has one AW/ADS pair, many peripheral servers: repeating the
            # AWs too would make every AW trust every server of every copy (quadratic).
            if copy > 1 and "aw" in h["roles"]:
                continue
            h = {k: (dict(v) if isinstance(v, dict) else v) for k, v in h.items()}
            name = f"{h['name']}-{copy:02d}"
            h["fqdn"] = h["fqdn"].replace(h["name"] + ".", name + ".", 1)
            h["name"] = name
            if "cluster" in h:
                h["cluster"] = f"{h['cluster']}-{copy:02d}"
            if "presents" in h:
                h["presents"] = {k: os.path.join(base, v) for k, v in h["presents"].items()}
            if "csr" in h:
                h["csr"] = {k: os.path.join(base, v) for k, v in h["csr"].items()}
            if "store" in h:
                h["store"] = [absolute(base, dict(s)) for s in h["store"]]
            hosts.append(h)
    lines = []
    table(lines, "deployment", dep)
    for h in hosts:
        lines.append("")
        lines.append("[[host]]")
        for k, v in h.items():
            if not isinstance(v, (dict, list)) or (isinstance(v, list) and v and not isinstance(v[0], dict)):
                lines.append(f"{k} = {value(v)}")
        for k, v in h.items():
            if isinstance(v, dict):
                table(lines, f"host.{k}", v)
            elif isinstance(v, list) and v and isinstance(v[0], dict):
                for item in v:
                    lines.append(f"[[host.{k}]]")
                    for ik, iv in item.items():
                        lines.append(f"{ik} = {value(iv)}")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
