using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>
/// Reads the rows of one allowlist table. Outbound tables (a URL column) list hosts the sources reach, usually
/// through the proxy; the inbound table (an IP/machine column) lists direct paths between the management machine,
/// the appliance VMs, the control plane and the private cloud, which never go through the proxy.
/// </summary>
internal sealed class AllowlistTableReader
{
    private const string InboundNote =
        "Arc resource bridge network requirements, inbound connectivity: \"Ensure these ports are open and that traffic doesn't go through a proxy.\"";

    private readonly MarkdownTable _table;
    private readonly Cloud _cloud;
    private readonly int _service;
    private readonly int _port;
    private readonly int _hosts;
    private readonly int _direction;
    private readonly int _notes;
    private readonly bool _inbound;

    private AllowlistTableReader(MarkdownTable table, Cloud cloud, Dictionary<string, int> columns, bool inbound)
    {
        _table = table;
        _cloud = cloud;
        _inbound = inbound;
        _service = columns["service"];
        _port = columns.GetValueOrDefault("port", -1);
        _hosts = columns[inbound ? "machine" : "url"];
        _direction = columns.GetValueOrDefault("direction", -1);
        _notes = columns.GetValueOrDefault("notes", -1);
    }

    /// <summary>A reader for an allowlist table; null (with a warning when it looks like one) for any other table.</summary>
    public static AllowlistTableReader? For(MarkdownTable table, List<ImportError> warnings)
    {
        var columns = Columns(table.Header);
        var inbound = !columns.ContainsKey("url") && columns.ContainsKey("machine");
        if (!columns.ContainsKey("url") && !inbound)
        {
            warnings.Add(new ImportError(table.Header.Line, 1, "this table has no URL or IP/machine column, so it is not read as part of the allowlist"));
            return null;
        }
        if (table.Cloud is not { } cloud)
        {
            warnings.Add(new ImportError(table.Header.Line, 1, $"this table is in the tab '{table.TabTitle}', a cloud the dashboard does not know (Azure Cloud, Azure Government); it was not imported"));
            return null;
        }
        // An "Azure US Government URL" column marks a Government table even outside a tab.
        if (table.Header.Cells.Any(c => CellText.HeaderName(c.Text).Contains("government", StringComparison.Ordinal)))
            cloud = Cloud.AzureGovernment;
        // Without a Port column a URL's scheme still says it (2022's "Used by other Arc agents" table); without a
        // Direction column nobody is named, so both sources are assumed and the operator is told.
        string[] required = inbound ? ["service", "port", "machine"] : ["service", "url"];
        var missing = required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            warnings.Add(new ImportError(table.Header.Line, 1,
                $"missing column {string.Join(", ", missing.Select(m => $"'{m}'"))} (expected Service, Port, {(inbound ? "IP/machine" : "URL, Direction")}, Notes): the table's {table.Rows.Count} rows were not imported"));
            return null;
        }
        if (!inbound && !columns.ContainsKey("direction"))
            warnings.Add(new ImportError(table.Header.Line, 1,
                $"this table has no Direction column: its {table.Rows.Count} rows were imported as needed by both the management machine and the appliance VMs"));
        return new AllowlistTableReader(table, cloud, columns, inbound);
    }

    public IEnumerable<CatalogEndpoint> Read(List<ImportError> warnings)
    {
        if (_table.Rows.Count == 0)
            warnings.Add(new ImportError(_table.Header.Line, 1, "the table has no rows"));
        foreach (var row in _table.Rows)
        {
            foreach (var endpoint in ReadRow(row, warnings))
                yield return endpoint;
        }
    }

    private List<CatalogEndpoint> ReadRow(TableRow row, List<ImportError> warnings)
    {
        var needed = new[] { _service, _port, _hosts, _direction }.Max() + 1;
        var extra = row.Cells.Skip(_table.Header.Cells.Count).Where(c => CellText.Clean(c.Text).Length > 0).ToList();
        if (row.Cells.Count < needed || extra.Count > 0)
        {
            var column = extra.Count > 0 ? extra[0].Column : row.EndColumn;
            warnings.Add(new ImportError(row.Line, column, $"row has {row.Cells.Count} cells, the header has {_table.Header.Cells.Count}: the row was not imported"));
            return [];
        }

        var service = CellText.Plain(row.Cells[_service].Text).Replace("*", "", StringComparison.Ordinal).Trim();
        var ports = _port >= 0 ? Ports(row, warnings) : [PortOfScheme(row.Cells[_hosts].Text)];
        var notes = _notes >= 0 && _notes < row.Cells.Count ? CellText.Plain(row.Cells[_notes].Text) : "";
        var direction = _direction >= 0 ? CellText.Clean(row.Cells[_direction].Text) : "";
        // 2024's inbound table has a URL column: a row is inbound when it names only local parties.
        var endpoints = _inbound || CellText.NamesLocalParties(row.Cells[_hosts].Text)
            ? Inbound(row, service, direction, notes, warnings)
            : Outbound(row, service, direction, notes, warnings);
        if (ports.Count == 0)
            return [];
        if (service.Length == 0)
            warnings.Add(new ImportError(row.Line, row.Cells[_service].Column, "the Service cell is empty; the endpoints are listed without a service name"));
        return [.. endpoints.SelectMany(e => ports.Select(p => e with { Port = p }))];
    }

    private IReadOnlyList<int> Ports(TableRow row, List<ImportError> warnings)
    {
        var portCell = row.Cells[_port];
        var ports = CellText.Ports(portCell.Text, out var badPorts);
        foreach (var bad in badPorts)
            warnings.Add(new ImportError(row.Line, portCell.Column, $"port '{bad}' is not a number from 1 to 65535{(ports.Count == 0 ? ": the row was not imported" : "; the other ports were imported")}"));
        if (ports.Count == 0 && badPorts.Count == 0)
            warnings.Add(new ImportError(row.Line, portCell.Column, "the Port cell is empty: the row was not imported"));
        return ports;
    }

    private static int PortOfScheme(string hostCell) => hostCell.Contains("http://", StringComparison.OrdinalIgnoreCase) ? 80 : 443;

    private List<CatalogEndpoint> Outbound(TableRow row, string service, string direction, string notes, List<ImportError> warnings)
    {
        var hostCell = row.Cells[_hosts];
        var hosts = CellText.Hosts(hostCell.Text, out var unread);
        if (unread.Count > 0)
            warnings.Add(new ImportError(row.Line, hostCell.Column, hosts.Count == 0
                ? $"'{string.Join(" ", unread)}' is not a host name or wildcard pattern: the row was not imported"
                : $"'{string.Join(" ", unread)}' is not a host name or wildcard pattern; {string.Join(", ", hosts)} were imported"));
        else if (hosts.Count == 0)
            warnings.Add(new ImportError(row.Line, hostCell.Column, "the URL cell holds no host: the row was not imported"));

        var sources = _direction < 0 ? Sources.ManagementMachine | Sources.ApplianceVm : CellText.Sources(direction);
        if (sources is null)
        {
            warnings.Add(new ImportError(row.Line, row.Cells[_direction].Column,
                $"unknown direction '{direction}': expected it to name the management machine and/or the appliance VM; the row was not imported"));
            return [];
        }
        var protocol = CellText.Protocol(direction, hostCell.Text);
        var endpoints = new List<CatalogEndpoint>();
        foreach (var host in hosts)
        {
            // DNS is both UDP and TCP 53 (large answers fall back to TCP), whatever the row says.
            TransportProtocol[] protocols = host == ExtraRequirements.DnsServers ? [TransportProtocol.Udp, TransportProtocol.Tcp] : [protocol];
            endpoints.AddRange(protocols.Select(p => New(service, host, p, sources.Value, notes, bypassProxy: host != ExtraRequirements.DnsServers && ExtraRequirements.IsPlaceholder(host))));
        }
        return endpoints;
    }

    /// <summary>
    /// "`appliance VM IPs` and `Management machine`": the management machine reaches the appliance VM IPs.
    /// "`appliance VM IPs` (to each other)": each appliance VM reaches its peers. The private cloud is reached by the other party.
    /// </summary>
    private List<CatalogEndpoint> Inbound(TableRow row, string service, string direction, string notes, List<ImportError> warnings)
    {
        var cell = row.Cells[_hosts];
        var parties = CellText.Parties(cell.Text);
        var target = new[] { ExtraRequirements.PrivateCloudAddress, ExtraRequirements.ControlPlaneIp, ExtraRequirements.ApplianceVmIps }
            .FirstOrDefault(parties.Contains);
        if (target is null)
        {
            warnings.Add(new ImportError(row.Line, cell.Column,
                $"'{CellText.Plain(cell.Text)}' names no appliance VM IPs, control plane IP or private cloud address: the row was not imported"));
            return [];
        }
        var sources = Sources.None;
        if (parties.Contains(CellText.ManagementMachineParty))
            sources |= Sources.ManagementMachine;
        if (target != ExtraRequirements.ApplianceVmIps && parties.Contains(ExtraRequirements.ApplianceVmIps))
            sources |= Sources.ApplianceVm;
        // "`private cloud management console`" alone (2024): the Direction sentence names who connects.
        if (sources == Sources.None && target != ExtraRequirements.ApplianceVmIps)
            sources = CellText.Sources(direction) ?? Sources.None;
        if (sources == Sources.None && target == ExtraRequirements.ApplianceVmIps)
            sources = Sources.ApplianceVm;
        if (sources == Sources.None)
        {
            warnings.Add(new ImportError(row.Line, cell.Column, $"'{CellText.Plain(cell.Text)}' names no machine that connects: the row was not imported"));
            return [];
        }
        var endpoint = New(service, target, TransportProtocol.Tcp, sources, notes, bypassProxy: true) with { Note = InboundNote };
        // Outside the cloud tabs the inbound table is about the local network, the same whatever the cloud.
        return _table.TabTitle is null ? [.. Enum.GetValues<Cloud>().Select(c => endpoint with { Cloud = c })] : [endpoint];
    }

    private CatalogEndpoint New(string service, string host, TransportProtocol protocol, Sources sources, string notes, bool bypassProxy) => new()
    {
        Cloud = _cloud,
        Service = service,
        Port = 0,
        Protocol = protocol,
        HostPattern = host,
        Sources = sources,
        Purpose = notes,
        BypassProxy = bypassProxy,
    };

    private static Dictionary<string, int> Columns(TableRow header)
    {
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < header.Cells.Count; i++)
        {
            var name = CellText.HeaderName(header.Cells[i].Text);
            var key = name switch
            {
                _ when name.Contains("url", StringComparison.Ordinal) => "url",
                _ when name.Contains("machine", StringComparison.Ordinal) || name == "ip" => "machine",
                _ when name.Contains("service", StringComparison.Ordinal) => "service",
                _ when name.Contains("port", StringComparison.Ordinal) => "port",
                _ when name.Contains("direction", StringComparison.Ordinal) => "direction",
                _ when name.Contains("note", StringComparison.Ordinal) => "notes",
                _ => name,
            };
            columns.TryAdd(key, i);
        }
        return columns;
    }
}
