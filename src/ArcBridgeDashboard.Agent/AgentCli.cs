using System.CommandLine;
using ArcBridgeDashboard.Agent.Check;
using ArcBridgeDashboard.Agent.Run;
using Microsoft.Extensions.Configuration;

namespace ArcBridgeDashboard.Agent;

/// <summary>Verb dispatch. Parse errors and anything unexpected end as one line on stderr and exit code 2, never a stack trace.</summary>
public static class AgentCli
{
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var root = new RootCommand("ArcBridge Dashboard agent: checks the network paths Azure Arc resource bridge needs.");
            root.Subcommands.Add(CheckCommand.Create(stdout, stderr, configuration));
            root.Subcommands.Add(RunCommand.Create(stderr, configuration));
            // No @response-file expansion: a proxy password may well start with '@'.
            var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (parse.Errors.Count > 0)
            {
                await stderr.WriteLineAsync($"error: {parse.Errors[0].Message} (see 'arcbridge-agent check --help')");
                return UsageError;
            }
            if (parse.CommandResult.Command == root && !args.Any(a => a is "-h" or "--help" or "-?" or "--version"))
            {
                await stderr.WriteLineAsync("error: no verb given; use 'arcbridge-agent check' (see --help)");
                return UsageError;
            }
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return UsageError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("error: cancelled");
            return UsageError;
        }
#pragma warning disable CA1031 // the top level turns every failure into one line: operators must never see a stack trace
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await stderr.WriteLineAsync($"error: unexpected {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
            return UsageError;
        }
    }
}

/// <summary>A usage or configuration problem; the message names the option and is printed as is.</summary>
public sealed class UsageException(string message) : Exception(message);
