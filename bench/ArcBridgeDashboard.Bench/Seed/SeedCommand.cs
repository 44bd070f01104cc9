using System.Diagnostics;
using ArcBridgeDashboard.Bench.Common;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Bench.Seed;

/// <summary>
/// `seed --db FILE [--days 30] [--agents 20] [--targets 25] [--interval-minutes 5]`: a dashboard database with realistic
/// history. `--postgres DIR --database NAME` seeds a database of that name in the bench's PostgreSQL cluster in DIR
/// (initdb on first use; kept, stopped afterwards) instead, through binary COPY.
/// </summary>
public static class SeedCommand
{
    private const int RowsPerTransaction = 250_000;

    public static async Task<int> RunAsync(Args args)
    {
        var path = Path.GetFullPath(args.Get("db", "bench/out/seed-30d.db"));
        var days = args.GetInt("days", 30);
        var agentCount = args.GetInt("agents", 20);
        var targetCount = args.GetInt("targets", 25);
        var interval = TimeSpan.FromMinutes(args.GetInt("interval-minutes", 5));
        if (args.Find("postgres") is { } folder)
        {
            var name = args.Get("database", $"seed_{days}d");
            using var cluster = Agents.PgCluster.Start(Path.GetFullPath(folder));
            cluster.Keep = true;
            cluster.CreateDatabase(name);
            var block = await SeedAsync(cluster.ConnectionString(name), days, agentCount, targetCount, interval);
            block.Add("database size", $"{cluster.DatabaseSize(name) / 1024.0 / 1024.0:0.0} MiB (pg_database_size)");
            block.Add("load average at the end", Agents.ProcTreeCpu.LoadAverage());
            block.Print();
            return 0;
        }
        var summary = await SeedAsync(path, days, agentCount, targetCount, interval);
        summary.Print();
        return 0;
    }

    /// <param name="path">A SQLite file, or a PostgreSQL connection string to an empty database.</param>
    public static async Task<ResultBlock> SeedAsync(string path, int days, int agentCount, int targetCount, TimeSpan interval)
    {
        var postgreSql = SchemaBootstrap.IsPostgreSql(path);
        if (!postgreSql)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" }) File.Delete(path + suffix);
        }
        var clock = Stopwatch.StartNew();
        var tickMs = (long)interval.TotalMilliseconds;
        var endMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / tickMs * tickMs;
        var end = DateTimeOffset.FromUnixTimeMilliseconds(endMs);
        var start = end.AddDays(-days);
        var (agents, targets) = await SchemaBootstrap.CreateAsync(path, agentCount, targetCount, start);
        Console.WriteLine($"seed: schema migrated, {agents.Count} agents, {targets.Count} targets; writing {days} d of history at {interval.TotalMinutes} min ...");

        var model = new HistoryModel(agents, targets, start, end);
        var ticks = (int)((end - start).Ticks / interval.Ticks);
        var stateSince = new long[agents.Count, targets.Count];
        var lastVerdict = new Verdict?[agents.Count, targets.Count];
        var lastRow = new long[agents.Count, targets.Count];
        var lastOutcome = new Outcome[agents.Count, targets.Count];
        var lastAt = new long[agents.Count, targets.Count];
        var rollups = new RollupAccumulator[agents.Count, targets.Count];
        long resultId = 0, sweepId = 0, changes = 0, rollupRows = 0, inTransaction = 0;
        var currentHour = long.MinValue;

        using IHistoryWriter writer = postgreSql ? new PgHistoryWriter(path, start, end) : new HistoryWriter(path);
        for (var tick = 0; tick < ticks; tick++)
        {
            var tickStart = start.AddTicks(interval.Ticks * (tick + 1));
            var tickStartMs = tickStart.ToUnixTimeMilliseconds();
            var hour = tickStartMs / 3_600_000 * 3_600_000;
            if (hour != currentHour)
            {
                if (currentHour != long.MinValue) rollupRows += FlushRollups(writer, rollups, agents, targets, currentHour);
                currentHour = hour;
            }
            for (var a = 0; a < agents.Count; a++)
            {
                // Agents do not sweep in lockstep: spread their start over the first 30 s of the tick.
                var sweepStart = tickStartMs + a * 1_500;
                var id = ++sweepId;
                int pass = 0, warn = 0, fail = 0;
                double slowest = 0;
                for (var t = 0; t < targets.Count; t++)
                {
                    var outcome = model.Next(a, t, tickStart);
                    var at = sweepStart + t * 3;
                    var row = ++resultId;
                    writer.Result(row, Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(at)), id, agents[a].Id, targets[t].Id, at, outcome);
                    if (lastVerdict[a, t] != outcome.Verdict)
                    {
                        writer.StateChange(agents[a].Id, targets[t].Id, at, lastVerdict[a, t], outcome);
                        lastVerdict[a, t] = outcome.Verdict;
                        stateSince[a, t] = at;
                        changes++;
                    }
                    lastRow[a, t] = row; lastOutcome[a, t] = outcome; lastAt[a, t] = at;
                    rollups[a, t].Add(outcome);
                    slowest = Math.Max(slowest, outcome.TotalMs);
                    switch (outcome.Verdict) { case Verdict.Pass: pass++; break; case Verdict.Warn: warn++; break; default: fail++; break; }
                }
                writer.Sweep(id, agents[a].Id, sweepStart, sweepStart + (long)slowest + 50, targets.Count, pass, warn, fail);
                inTransaction += targets.Count + 1;
            }
            if (inTransaction >= RowsPerTransaction)
            {
                writer.Commit();
                inTransaction = 0;
            }
            if (tick % 1000 == 999) Console.WriteLine($"seed: {resultId:N0} results after {clock.Elapsed.TotalSeconds:0.0} s");
        }
        rollupRows += FlushRollups(writer, rollups, agents, targets, currentHour);
        for (var a = 0; a < agents.Count; a++)
            for (var t = 0; t < targets.Count; t++)
                writer.Latest(agents[a].Id, targets[t].Id, lastRow[a, t], lastAt[a, t], lastOutcome[a, t], stateSince[a, t]);
        var insertTime = clock.Elapsed;
        var indexTime = writer.Finish();
        writer.Dispose();
        clock.Stop();

        var size = postgreSql ? 0 : new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
        var block = new ResultBlock($"seed ({days} d)")
            .Add("database", postgreSql ? "PostgreSQL " + new Npgsql.NpgsqlConnectionStringBuilder(path).Database : path)
            .Add("shape", $"{agents.Count} agents x {targets.Count} targets x {days} d every {interval.TotalMinutes} min")
            .Add("scenario", HistoryModel.Describe())
            .Add("results", resultId.ToString("N0"))
            .Add("sweeps", sweepId.ToString("N0"))
            .Add("hourly roll-ups", rollupRows.ToString("N0"))
            .Add("state changes", changes.ToString("N0"))
            .Add("latest rows", (agents.Count * targets.Count).ToString("N0"))
            .Add("insert time", $"{insertTime.TotalSeconds:0.0} s ({resultId / insertTime.TotalSeconds:N0} results/s)")
            .Add(postgreSql ? "latest + daily roll-ups + index rebuild + ANALYZE" : "index rebuild", $"{indexTime.TotalSeconds:0.0} s ({writer.IndexCount} indexes)")
            .Add("total seed time", $"{clock.Elapsed.TotalSeconds:0.0} s");
        return postgreSql ? block : block.Add("database size", $"{size / 1024.0 / 1024.0:0.0} MiB");
    }

    private static long FlushRollups(IHistoryWriter writer, RollupAccumulator[,] rollups, IReadOnlyList<SeedAgent> agents, IReadOnlyList<SeedTarget> targets, long hour)
    {
        long rows = 0;
        for (var a = 0; a < agents.Count; a++)
            for (var t = 0; t < targets.Count; t++)
            {
                ref var r = ref rollups[a, t];
                if (r.Count == 0) continue;
                writer.Rollup(targets[t].Id, agents[a].Id, hour, r.Count, r.Pass, r.Warn, r.Fail, Math.Round(r.SumMs, 1), r.MaxMs);
                r = default;
                rows++;
            }
        return rows;
    }

    private struct RollupAccumulator
    {
        public int Count, Pass, Warn, Fail;
        public double SumMs, MaxMs;

        public void Add(in Outcome o)
        {
            Count++;
            SumMs += o.TotalMs;
            MaxMs = Math.Max(MaxMs, o.TotalMs);
            switch (o.Verdict) { case Verdict.Pass: Pass++; break; case Verdict.Warn: Warn++; break; default: Fail++; break; }
        }
    }
}
