#!/usr/bin/env python3
"""Writes a scenario K times the size of scenarios/island-cable-cut.ron: K island
pairs (2K nations, 2K CSIRTs, 6K assets, 3K incident streams, 3K injects with 2K
decisions), each pair a copy of the island's world with its own ids, all in one
regional body. Used by scripts/bench-performance.sh to see how run time grows.

Usage: scripts/scale-scenario.py K > /tmp/islands-K.ron
"""
import sys

PAIR = """
// ---- pair {i}
NATIONS Nation(id: "kv{i}", name: "Kavala {i}", utc_offset: "+12:00"),
NATIONS Nation(id: "mr{i}", name: "Marau {i}", utc_offset: "+10:00"),
CSIRTS Csirt(id: "kv-cert{i}", name: "Kavala CERT {i}", nation: "kv{i}", kind: National, maturity: 1,
CSIRTS     teams: [Team(tier: 1, analysts: 3, shift: BusinessHours(from: "08:00", to: "17:00", on_call: "1h"))],
CSIRTS     sop: "generic", sops_by_type: {{Ransomware: "ransomware"}}, per_type_sops: true, regions: ["pacific-cert"]),
CSIRTS Csirt(id: "mr-cert{i}", name: "Marau CERT {i}", nation: "mr{i}", kind: National, maturity: 3, analysts: 6,
CSIRTS     sop: "generic", first_member: true, regions: ["pacific-cert"]),
SECTORS Sector(id: "telecom{i}", name: "Telecommunications", nation: "kv{i}", critical: true),
SECTORS Sector(id: "finance{i}", name: "Banking", nation: "kv{i}"),
SECTORS Sector(id: "energy{i}", name: "Electricity", nation: "kv{i}"),
SECTORS Sector(id: "maritime{i}", name: "Harbour", nation: "kv{i}", critical: true),
SECTORS Sector(id: "tourism{i}", name: "Tourism", nation: "kv{i}", critical: true),
ASSETS Asset(id: "cable{i}", name: "Cable", sector: "telecom{i}", criticality: 5, cost_per_hour: 40000.0),
ASSETS Asset(id: "payments{i}", name: "Payments", sector: "finance{i}", criticality: 4, cost_per_hour: 15000.0,
ASSETS     depends_on: [Dependency(asset: "cable{i}", weight: 1.0)]),
ASSETS Asset(id: "power{i}", name: "Grid", sector: "energy{i}", criticality: 5, cost_per_hour: 20000.0),
ASSETS Asset(id: "port-it{i}", name: "Port IT", sector: "maritime{i}", criticality: 4, cost_per_hour: 5000.0),
ASSETS Asset(id: "harbour{i}", name: "Harbour", sector: "maritime{i}", criticality: 5, cost_per_hour: 30000.0,
ASSETS     depends_on: [Dependency(asset: "power{i}", weight: 0.6, buffer: "8h", recovery_delay: "2h"),
ASSETS         Dependency(asset: "port-it{i}", weight: 0.4)]),
ASSETS Asset(id: "tourism{i}", name: "Tourism", sector: "tourism{i}", criticality: 5, cost_per_hour: 25000.0,
ASSETS     depends_on: [Dependency(asset: "cable{i}", weight: 0.5), Dependency(asset: "payments{i}", weight: 0.3),
ASSETS         Dependency(asset: "harbour{i}", weight: 0.2)]),
STREAMS IncidentStream(id: "kv-background{i}", incident_type: Phishing, severity: Low, csirt: "kv-cert{i}", rate: "3/d"),
STREAMS IncidentStream(id: "mr-background{i}", incident_type: Phishing, severity: Low, csirt: "mr-cert{i}", rate: "8/d"),
STREAMS IncidentStream(id: "booking-intrusions{i}", incident_type: Intrusion, severity: Medium, csirt: "kv-cert{i}",
STREAMS     rate: "1/2d", target: Target(sector: "tourism{i}", level: 0.8),
STREAMS     detection: Detection(victim: Exponential(mean: "4d"), peer_abroad: Peer(csirt: "mr-cert{i}", delay: Exponential(mean: "8h")))),
INJECTS Inject(id: "cable-cut{i}", at: "1d", text: "The cable is cut.",
INJECTS     effects: [Outage(asset: "cable{i}", level: 0.0, duration: "3d")]),
INJECTS Inject(id: "port-ransomware{i}", at: "2d", text: "Ransomware at the port operator.",
INJECTS     effects: [Report(incident_type: Ransomware, csirt: "kv-cert{i}", severity: Critical, target: Target(asset: "port-it{i}", level: 0.1))],
INJECTS     decision: Decision(id: "port-response{i}", question: "Isolate the port?", options: [
INJECTS         Choice(id: "isolate", default: true, text: "Isolate.", effects: [Outage(asset: "harbour{i}", level: 0.2, duration: "12h")]),
INJECTS         Choice(id: "monitor", text: "Monitor.", effects: [Report(incident_type: Ransomware, csirt: "kv-cert{i}",
INJECTS             severity: Critical, target: Target(asset: "harbour{i}", level: 0.3))])])),
INJECTS Inject(id: "regional-offer{i}", at: "2d6h", text: "Marau offers two responders.",
INJECTS     decision: Decision(id: "regional-help{i}", question: "Accept?", options: [
INJECTS         Choice(id: "ask", text: "Accept.", effects: [Hire(csirt: "kv-cert{i}", analysts: 2, ramp_up: "18h"),
INJECTS             SetAnalysts(csirt: "mr-cert{i}", analysts: 4)]),
INJECTS         Choice(id: "decline", default: true, text: "Decline.")])),
"""

SECTIONS = ["NATIONS", "CSIRTS", "SECTORS", "ASSETS", "STREAMS", "INJECTS"]


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: scale-scenario.py K   (K >= 1 copies of the island pair)")
    k = int(sys.argv[1])
    parts = {s: [] for s in SECTIONS}
    for i in range(k):
        for line in PAIR.format(i=i).splitlines():
            head, _, rest = line.partition(" ")
            if head in parts:
                parts[head].append("        " + rest)
    out = [
        f"// Generated by scripts/scale-scenario.py {k}: {k} copies of the island pair.",
        "Scenario(",
        "    version: 1,",
        f'    name: "islands-x{k}",',
        '    horizon: "7d",',
        '    start: "2026-03-02T00:00Z",',
    ]
    for section in SECTIONS:
        out.append(f"    {section.lower()}: [")
        out.extend(parts[section])
        out.append("    ],")
    out.append("""    sops: [
        Sop(id: "generic", steps: [
            Step(name: "triage", effort: Exponential(mean: "45m")),
            Step(name: "contain", effort: Triangular(min: "1h", mode: "2h", max: "6h"), phase: Containment),
            Step(name: "restore", effort: Triangular(min: "2h", mode: "4h", max: "12h"), phase: Recovery),
            Step(name: "lessons", effort: Fixed("30m"), phase: PostIncident),
        ]),
        Sop(id: "ransomware", steps: [
            Step(name: "scope", effort: Triangular(min: "1h", mode: "2h", max: "4h")),
            Step(name: "isolate", effort: Triangular(min: "2h", mode: "6h", max: "12h"), phase: Containment),
            Step(name: "rebuild", effort: Triangular(min: "8h", mode: "16h", max: "36h"), phase: Recovery),
            Step(name: "lessons", effort: Fixed("2h"), phase: PostIncident),
        ]),
    ],""")
    out.append('    coordination: Coordination(direct: "1h", regional_trust: 0.9, first_trust: 0.8, indirect_trust: 0.5),')
    out.append("    objectives: [")
    out.append('        Objective(id: "severe-contained", measure: Contained(within: "24h", severity: High), target: 0.9),')
    out.append('        Objective(id: "intrusions-known", measure: Reported(within: "1d"), target: 0.95),')
    out.append("    ],")
    out.append(")")
    print("\n".join(out))


if __name__ == "__main__":
    main()
