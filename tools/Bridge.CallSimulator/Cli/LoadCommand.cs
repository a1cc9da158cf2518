using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Bridge.CallSimulator.Load;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Bridge.CallSimulator.Cli;

/// <summary><c>bridge-call load</c>: many calls at once against a local system, with latency and loss.</summary>
public static class LoadCommand
{
    public static Command Create()
    {
        var url = CommonOptions.WebhookUrl();
        var authToken = CommonOptions.AuthToken();
        var accountSid = CommonOptions.AccountSid();
        var routes = CommonOptions.Routes();
        var restApi = CommonOptions.RestApi();
        var verbose = CommonOptions.Verbose();
        var calls = new Option<int>("--calls", "-n")
        {
            Description = $"How many calls in all (1 to {LoadOptions.MaxCalls}); once the ramp is over they are all up together.",
            DefaultValueFactory = _ => 10,
            CustomParser = r => Numbers.Parse<int>(r, value => value is >= 1 and <= LoadOptions.MaxCalls, $"--calls must be a whole number from 1 to {LoadOptions.MaxCalls}"),
        };
        var ramp = CommonOptions.Duration("--ramp", "The calls start evenly spread over this time.", TimeSpan.FromSeconds(5), LoadOptions.MaxDuration);
        var duration = CommonOptions.Duration("--duration",
            "The whole test, ramp included (at most 1h); every call hangs up when it is over.",
            TimeSpan.FromSeconds(30), LoadOptions.MaxDuration);
        var lateAfter = CommonOptions.Duration("--late-after", "A frame whose round trip takes longer than this is late.",
            TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        var warmUp = CommonOptions.Duration("--warm-up",
            "After the ramp, how long the worker's memory may still grow; the memory slope (KB/min) counts only what follows.",
            TimeSpan.FromSeconds(30), LoadOptions.MaxDuration);
        var workerPid = new Option<int?>("--worker-pid")
        {
            Description = "The media worker's process id: its CPU (percent of one core) and resident memory are sampled every second.",
        };
        var writePerMessage = new Option<bool>("--write-per-message")
        {
            Description = "Write every message to the socket on its own (by default what one 20 ms tick sends, a caller frame and " +
                "the marks it echoes, leaves in one write; the WebSocket frames are the same either way).",
        };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the result to this file as JSON." };
        var maxLost = new Option<double>("--max-lost")
        {
            Description = "The share of frames that may be lost before the run counts as failed (exit code 1), e.g. 0.1% or 0.001.",
            HelpName = "share",
            DefaultValueFactory = _ => 0.001,
            CustomParser = result => Shares.Parse(result, "--max-lost", max: 1),
        };

        var command = new Command("load",
            "Place many calls at once against a local bridge whose model is the emulator in loopback mode (every caller " +
            "frame comes back as model audio, 8 kHz both ways). Each caller frame carries its own number, so returned audio " +
            "is matched to what was sent even when the worker re-chunks it: round-trip latency per frame (p50/p95/p99), late " +
            "and lost frames, and optionally the worker's CPU and memory. Bounded: at most 1000 calls and 1 hour, and only " +
            "localhost or loopback addresses are called.")
        {
            url, calls, ramp, duration, lateAfter, warmUp, maxLost, workerPid, writePerMessage, json, accountSid, authToken, routes, restApi, verbose,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (CommonOptions.ResolveAuthToken(parse, authToken, Console.Error) is not { } token ||
                CommonOptions.ResolveAccountSid(parse, accountSid, Console.Error) is not { } account)
            {
                return ExitCodes.BadArguments;
            }
            var options = new LoadOptions
            {
                WebhookUrl = parse.GetValue(url)!,
                AuthToken = token.Token,
                AccountSid = account.AccountSid,
                Routes = CommonOptions.ResolveRoutes(parse, routes),
                Calls = parse.GetValue(calls),
                Ramp = parse.GetValue(ramp),
                Duration = parse.GetValue(duration),
                LateAfter = parse.GetValue(lateAfter),
                WarmUp = parse.GetValue(warmUp),
                WorkerPid = parse.GetValue(workerPid),
                BatchWrites = !parse.GetValue(writePerMessage),
                MaxLostShare = parse.GetValue(maxLost),
            };
            if (options.Problem() is { } problem)
            {
                Console.Error.WriteLine(problem);
                return ExitCodes.BadArguments;
            }

            LoadResult result;
            using (var logging = ConsoleLogging.Create(parse.GetValue(verbose), LogLevel.Error))
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) })
            {
                var liveCalls = new LiveCalls();
                await using var api = await CommonOptions.StartRestApiAsync(parse.GetValue(restApi)!, liveCalls, cancellationToken);
                var test = new LoadTest(http, TimeProvider.System, logging, liveCalls);
                result = await RunWithProgressAsync(test, options, cancellationToken);
            }

            Print(result);
            if (NextStep.For(result, options.WebhookUrl) is { } next)
            {
                Console.Error.WriteLine(next);
            }
            if (parse.GetValue(json) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }), CancellationToken.None);
                AnsiConsole.MarkupLineInterpolated($"Result written to [bold]{file.FullName}[/]");
            }
            return result.Passed ? 0 : 1;
        });
        return command.WithExamples(
            "scripts/load-test.sh 100 45s 15s",
            "    The usual way: builds Release, starts the emulator in loopback mode, a worker and an api,",
            "    and runs 'load' with 100 calls over 15 s, 45 s in all, sampling the worker.",
            "bridge-call load --url http://127.0.0.1:5380/webhook --auth-token <token> --calls 50 --ramp 10s --duration 40s",
            "    Against a system already running whose model is in loopback mode at 8 kHz.",
            "bridge-call load --calls 20 --duration 30s --max-lost 1% --json result.json",
            "    Against the local AppHost started with Emulator__Mode=Loopback; fails (exit code 1) above 1 % lost.",
            "",
            "Exit code: 0 passed; 1 failed (a call failed or ended early, no frame came back, or more than",
            "--max-lost of the frames were lost); 2 bad options.");
    }

    /// <summary>
    /// One line updated in place on a terminal (even when the run's input is not one, as under a script's <c>&amp;</c>);
    /// into a file or a pipe, the same line every <see cref="LoggedProgressEvery"/>.
    /// </summary>
    private static async Task<LoadResult> RunWithProgressAsync(LoadTest test, LoadOptions options, CancellationToken cancellationToken)
    {
        string Line(LoadProgress progress) =>
            LoadProgressLine.Format(progress, options.Duration, options.Calls, Console.IsOutputRedirected ? LoadProgressLine.MaxWidth : AnsiConsole.Profile.Width);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Placing {options.Calls} calls over {options.Ramp.TotalSeconds:0.#} s, {options.Duration.TotalSeconds:0.#} s in all, against {options.WebhookUrl}"));
        if (Console.IsOutputRedirected)
        {
            var next = TimeSpan.Zero;
            return await test.RunAsync(options, progress =>
            {
                if (progress.Elapsed >= next)
                {
                    Console.WriteLine(Line(progress));
                    next = progress.Elapsed + LoggedProgressEvery;
                }
            }, cancellationToken);
        }

        AnsiConsole.Profile.Capabilities.Interactive = true;
        LoadResult? result = null;
        await AnsiConsole.Live(new Text("starting…")).AutoClear(false).StartAsync(async live =>
        {
            result = await test.RunAsync(options, progress =>
            {
                live.UpdateTarget(new Text(Line(progress)));
                live.Refresh();
            }, cancellationToken);
        });
        return result!;
    }

    private static readonly TimeSpan LoggedProgressEvery = TimeSpan.FromSeconds(10);

    private static void Print(LoadResult r)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Load test").AddColumn("").AddColumn("").HideHeaders();
        void Row(string name, string value) => table.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));

        Row("Duration", $"{r.DurationSeconds:0.0} s");
        Row("Calls", $"{r.CallsStarted} of {r.CallsPlanned} started, {r.CallsCompleted} completed, {r.CallsFailed} failed");
        foreach (var (reason, count) in r.Failures)
        {
            Row("  failure", $"{count} x {reason}");
        }
        Row("Frames", $"{r.FramesSent} sent, {r.FramesMeasured} measured, {r.FramesReturned} returned");
        Row("Lost", Share(r.FramesLost, r.FramesMeasured));
        Row("Late", $"{Share(r.FramesLate, r.FramesReturned)} (over {r.LateAfterMs:0} ms)");
        Row("Round trip", $"p50 {Ms(r.LatencyP50Ms)}, p95 {Ms(r.LatencyP95Ms)}, p99 {Ms(r.LatencyP99Ms)}, mean {Ms(r.LatencyMeanMs)}, max {Ms(r.LatencyMaxMs)}");
        if (r.FramesDuplicated + r.FramesOutOfOrder + r.UnknownFrames > 0)
        {
            Row("Anomalies", $"{r.FramesDuplicated} duplicated, {r.FramesOutOfOrder} out of order, {r.UnknownFrames} unknown");
        }
        Row("Invalid messages", r.InvalidMessages.ToString(CultureInfo.InvariantCulture));
        if (r.Worker is { } w)
        {
            Row("Worker", $"{w.Name} (pid {w.Pid}): CPU mean {w.MeanCpuPercent:0.0}%, max {w.MaxCpuPercent:0.0}% of one core; RSS max {w.MaxRssMegabytes:0.0} MB");
            Row("Memory slope", w.RssSlopeKbPerMinute is { } slope
                ? string.Create(CultureInfo.InvariantCulture, $"{slope:+0.0;-0.0} KB/min of RSS over {w.SlopeSamples} samples after {w.WarmUpSeconds:0} s")
                : $"— (fewer than {MemorySlope.MinimumSamples} samples after the {w.WarmUpSeconds:0} s warm-up)");
        }
        if (r.LatencyP50Ms > BacklogP50Ms)
        {
            Row("Note", $"a round trip of {Ms(r.LatencyP50Ms)} (p50) is a backlog, not processing time. In loopback the \"model\" " +
                "answers exactly as fast as the caller hears, so audio that fell behind (typically while a short ramp saturated the " +
                "machine) never catches up, and the frames still queued when the calls hang up count as lost. Spread the calls over " +
                "a longer --ramp, or place fewer.");
        }
        AnsiConsole.Write(table);

        if (r.Passed)
        {
            AnsiConsole.MarkupLine("[green]Passed[/]: every call ran to the end and frames came back within the allowed loss.");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"[red]FAILED[/]: {string.Join("; ", r.FailedBecause)}.");
        }
    }

    /// <summary>A median round trip above this is frames waiting in a queue; processing alone takes milliseconds.</summary>
    private const double BacklogP50Ms = 250;

    private static string Share(long part, long whole) =>
        whole == 0 ? $"{part}" : string.Create(CultureInfo.InvariantCulture, $"{part} ({100.0 * part / whole:0.###}%)");

    private static string Ms(double? value) =>
        value is { } v ? v.ToString("0.0 'ms'", CultureInfo.InvariantCulture) : "—";
}
