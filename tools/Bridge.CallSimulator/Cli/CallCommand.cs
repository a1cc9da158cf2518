using System.CommandLine;
using Bridge.CallSimulator.Audio;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Tracing;
using Bridge.TwilioStandIn.Outbound;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Logging;

namespace Bridge.CallSimulator.Cli;

/// <summary><c>bridge-call call</c>: one call, heard and summarised.</summary>
public static class CallCommand
{
    public static Command Create()
    {
        var url = CommonOptions.WebhookUrl();
        var authToken = CommonOptions.AuthToken();
        var accountSid = CommonOptions.AccountSid();
        var routes = CommonOptions.Routes();
        var verbose = CommonOptions.Verbose();
        var audio = new Option<FileInfo>("--audio", "-a")
        {
            Description = "What the caller says: a WAV file, µ-law 8 kHz or PCM 16-bit (8, 16 or 24 kHz are converted with " +
                          "the bridge's own audio code; other rates are converted simply, with a warning). " +
                          "Default: utterances/hello.wav next to the tool.",
            DefaultValueFactory = _ => new FileInfo(Path.Combine(AppContext.BaseDirectory, "utterances", "hello.wav")),
        };
        var output = new Option<FileInfo?>("--out", "-o")
        {
            Description = "Where to write what the caller heard (8 kHz µ-law WAV, silence where nothing played).",
            DefaultValueFactory = _ => new FileInfo("heard.wav"),
        };
        var speed = new Option<double>("--speed")
        {
            Description = "Run the call N times faster than real time (sending, playback, marks and timers alike). Real Twilio never " +
                          "does: a media worker closes a call whose audio runs more than Calls:MaxCallerAudioAhead (2 s by default) " +
                          "ahead of real time (1008), so above 1 raise that setting on the worker.",
            DefaultValueFactory = _ => 1,
            CustomParser = r => Numbers.Parse<double>(r, value => value is > 0 and <= 100, "--speed must be a number above 0 and at most 100"),
        };
        var dtmf = new Option<string[]>("--dtmf")
        {
            Description = "Press a key at a time after the stream starts, e.g. --dtmf 5@3s --dtmf #@4500ms. Repeatable.",
            HelpName = "digit@time",
            Validators =
            {
                r =>
                {
                    foreach (var press in r.GetValueOrDefault<string[]>() ?? [])
                    {
                        if (!DtmfPress.TryParse(press, out _, out var error))
                        {
                            r.AddError("--dtmf " + error);
                        }
                    }
                },
            },
        };
        var from = new Option<string>("--from") { Description = "The caller's number.", DefaultValueFactory = _ => "+14155550100" };
        var to = new Option<string>("--to") { Description = "The number called.", DefaultValueFactory = _ => "+15005550006" };
        var quiet = CommonOptions.Duration("--hangup-after-quiet",
            "After its audio ends, the caller hangs up once nothing has played for this long.",
            TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(10));
        var maxDuration = CommonOptions.Duration("--max-duration",
            "The caller hangs up at this point of the call whatever happens (at most 1h).",
            TimeSpan.FromMinutes(2), TimeSpan.FromHours(1));

        var restApi = CommonOptions.RestApi();

        var dropFrames = new Option<double>("--drop-frames")
        {
            Description = "Never send this share of the caller's frames (spread evenly; their timestamps leave gaps), e.g. 1% or 0.01. At most 50%.",
            HelpName = "share",
            CustomParser = result => Shares.Parse(result, "--drop-frames", max: 0.5),
        };
        var jitter = CommonOptions.Duration("--jitter",
            "Hold each caller frame back by a random delay up to this (frames keep their order, so they bunch up), e.g. 30ms.",
            TimeSpan.Zero, TimeSpan.FromSeconds(1));

        var command = new Command("call",
            "Place one inbound call as Twilio would: POST the signed voice webhook, follow the TwiML, open the " +
            "<Connect><Stream> WebSocket with a signed upgrade, send connected/start/media (20 ms frames in real time)/dtmf/stop, " +
            "play what the server sends through Twilio's playback clock (marks echoed when played, clear drops buffered audio " +
            "and echoes pending marks), post the stream status callbacks, and when the server closes the socket, request the " +
            "<Connect action> and follow it. Prints a summary and writes what the caller heard to a WAV file.")
        {
            url, audio, output, speed, dtmf, from, to, quiet, maxDuration, dropFrames, jitter, restApi, accountSid, authToken, routes, verbose,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (CommonOptions.ResolveAuthToken(parse, authToken, Console.Error) is not { } token ||
                CommonOptions.ResolveAccountSid(parse, accountSid, Console.Error) is not { } account)
            {
                return ExitCodes.BadArguments;
            }

            CallerAudio callerAudio;
            try
            {
                var loaded = CallerAudioLoader.Load(WavFile.Read(parse.GetValue(audio)!.FullName));
                if (loaded.Warning is { } warning)
                {
                    Console.Error.WriteLine("warning: " + warning);
                }
                callerAudio = CallerAudio.FromMuLaw(loaded.MuLaw);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"--audio: {e.Message}");
                return ExitCodes.BadArguments;
            }

            var options = new CallSimulationOptions
            {
                WebhookUrl = parse.GetValue(url)!,
                AuthToken = token.Token,
                AccountSid = account.AccountSid,
                Routes = CommonOptions.ResolveRoutes(parse, routes),
                From = parse.GetValue(from)!,
                To = parse.GetValue(to)!,
                Media = new MediaStreamOptions
                {
                    Audio = callerAudio,
                    Dtmf = (parse.GetValue(dtmf) ?? []).Select(d => DtmfPress.TryParse(d, out var press, out _) ? press : null!).ToList(),
                    Speed = parse.GetValue(speed),
                    HangUpAfterQuiet = parse.GetValue(quiet),
                    MaxDuration = parse.GetValue(maxDuration),
                    Impairment = new LineImpairment { DropFrames = parse.GetValue(dropFrames), Jitter = parse.GetValue(jitter) },
                },
            };

            CallSummary summary;
            // The call's own span goes to the dashboard too (the api's and the worker's go there anyway).
            var export = LocalDashboard.ExportSettings(options.WebhookUrl, Environment.GetEnvironmentVariable, AuthTokenSource.DefaultUserSecretsFile());
            using (var tracing = export is null ? null : CallTracing.StartExporting(export))
            using (var logging = ConsoleLogging.Create(parse.GetValue(verbose)))
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) })
            {
                var logger = logging.CreateLogger<CallSimulation>();
                var liveCalls = new LiveCalls();
                // Holding the REST API's address, it also places the outbound calls a local api creates meanwhile.
                await using var outbound = new OutboundCalls(options.AccountSid, options.AuthToken, http, liveCalls, TimeProvider.System, logger);
                await using var api = await CommonOptions.StartRestApiAsync(parse.GetValue(restApi)!, liveCalls, cancellationToken, outbound);
                logger.LogInformation("Calling {Url} as {AccountSid} (from {AccountSource}; auth token from {Source}), caller audio {Seconds:0.0} s at speed {Speed}",
                    options.WebhookUrl, options.AccountSid, account.Source, token.Source, callerAudio.Duration.TotalSeconds, options.Media.Speed);
                try
                {
                    // Ctrl+C during the stream makes the caller hang up (stop is sent); before it, the call is abandoned.
                    summary = await new CallSimulation(http, TimeProvider.System, logger, liveCalls).RunAsync(options, cancellationToken: cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine("Cancelled before the media stream started.");
                    return 130;
                }
            }

            var heardFile = parse.GetValue(output);
            if (heardFile is not null && summary.Stream is { HeardMuLaw.Length: > 0 } stream)
            {
                WavFile.WriteMuLaw(heardFile.FullName, stream.HeardMuLaw);
            }
            SummaryPrinter.Print(summary, heardFile?.FullName);
            if (NextStep.For(summary, options.WebhookUrl) is { } next)
            {
                Console.Error.WriteLine(next);
            }
            return summary.Succeeded ? 0 : 1;
        });
        return command.WithExamples(
            "bridge-call call",
            "    One call to the local AppHost (start it first: dotnet run --project Bridge.AppHost),",
            "    saying utterances/hello.wav; a summary, and what the caller heard in heard.wav.",
            "bridge-call call --audio tools/Bridge.CallSimulator/utterances/question.wav --out /tmp/heard.wav",
            "bridge-call call --dtmf 9@2s",
            "    Presses 9 two seconds in: the emulator's model says goodbye and hangs up (hang_up).",
            "bridge-call call --dtmf 0@2s",
            "    Presses 0: the model transfers the call (transfer_call); the summary says where to.",
            "bridge-call call --drop-frames 2% --jitter 40ms",
            "    A worse line: 2 % of the caller's frames never sent, the rest up to 40 ms late.",
            "bridge-call call --url https://abc123.example-tunnel.dev/webhook --auth-token <token> --rest-api off",
            "    A bridge elsewhere, signed with its account's auth token.");
    }
}
