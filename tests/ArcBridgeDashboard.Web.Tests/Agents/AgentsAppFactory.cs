using System.Net.Http.Headers;
using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ArcBridgeDashboard.Web.Tests.Agents;

/// <summary>The real app in-process on its own SQLite file, built-in agent off, clock fake, small batch limit.</summary>
public sealed class AgentsAppFactory : WebApplicationFactory<Program>
{
    public const int MaxBatchResults = 50;

    public AgentsAppFactory()
    {
        Folder = Path.Combine(Path.GetTempPath(), "arcbridge-agents-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        DatabasePath = Path.Combine(Folder, "arcbridge.db");
    }

    public string Folder { get; }
    public string DatabasePath { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ArcBridge:DatabasePath", DatabasePath);
        builder.UseSetting("ArcBridge:LogDirectory", Path.Combine(Folder, "logs"));
        builder.UseSetting("ArcBridge:BuiltInAgentEnabled", "false");
        builder.UseSetting("ArcBridge:Agents:MaxBatchResults", MaxBatchResults.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    public ArcBridgeDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<ArcBridgeDbContext>>().CreateDbContext();

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

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a log file still open; a temp folder is harmless
        }
    }
}
