using System.Net.Http.Headers;
using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Agents;

/// <summary>
/// The real app in-process on its own SQLite file (see <see cref="ArcBridgeAppFactory"/>), built-in agent off, small
/// batch limit. <see cref="PostgreSqlAgentsAppFactory"/> is the same on its own PostgreSQL database.
/// </summary>
public class AgentsAppFactory : ArcBridgeAppFactory
{
    public const int MaxBatchResults = 50;

    public AgentsAppFactory()
        : this(null)
    {
    }

    /// <param name="settings">Settings on top of the defaults (for example a low rate limit).</param>
    internal AgentsAppFactory(IDictionary<string, string?>? settings, DatabaseProvider provider = DatabaseProvider.Sqlite)
        : base(WithDefaults(settings), provider: provider)
    {
    }

    private static Dictionary<string, string?> WithDefaults(IDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:Agents:MaxBatchResults"] = MaxBatchResults.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        return all;
    }

    public async Task<string> CreateTokenAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<EnrollmentService>().CreateTokenAsync("test")).Token;
    }

    /// <summary>Enrols an agent and returns a client that sends its credential.</summary>
    public async Task<(EnrollResponse Agent, HttpClient Client)> EnrollAsync(string name, Sources role = Sources.ApplianceVm)
    {
        var anonymous = CreateClient();
        var response = await anonymous.PostAsJsonAsync(AgentApi.EnrollPath,
            new EnrollRequest { Token = await CreateTokenAsync(), Name = name, Role = role, Version = "1.0.0", Os = "test-os" }, ProbeJson.Options);
        response.EnsureSuccessStatusCode();
        var enrolled = (await response.Content.ReadFromJsonAsync<EnrollResponse>(ProbeJson.Options))!;
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", enrolled.Credential);
        return (enrolled, client);
    }
}

public sealed class PostgreSqlAgentsAppFactory() : AgentsAppFactory(null, DatabaseProvider.PostgreSql);
