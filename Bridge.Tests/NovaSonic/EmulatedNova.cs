using Amazon.Runtime;
using Bridge.Audio;
using Bridge.Emulator;
using Bridge.Bedrock;
using Bridge.NovaSonic;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.NovaSonic;

/// <summary>Sessions opened against the in-process emulator (tools/Bridge.Emulator), and caller audio to feed them.</summary>
internal static class EmulatedNova
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    public const int InputRate = 16_000;

    public static NovaSonicSessionFactory Factory(
        EmulatorServer emulator, NovaSonicOptions? conversation = null, NovaOpeningPolicy? policy = null, string modelId = BedrockOptions.DefaultModelId)
    {
        var bedrock = new BedrockOptions { Region = EmulatorDefaults.Region, Endpoint = emulator.BaseAddress, ModelId = modelId };
        var client = new BedrockEventStreamClient(
            new HttpMessageInvoker(BedrockHttp.CreateHandler()),
            new StaticCredentialSource(new ImmutableCredentials(EmulatorDefaults.AccessKeyId, EmulatorDefaults.SecretAccessKey, null)),
            bedrock,
            _ => null,
            TimeProvider.System,
            NullLoggerFactory.Instance);
        return new NovaSonicSessionFactory(client, Options.Create(bedrock), Options.Create(conversation ?? new NovaSonicOptions()),
            new NovaStreamOpening(policy ?? new NovaOpeningPolicy { FirstRetryDelay = TimeSpan.FromMilliseconds(50) }, TimeProvider.System),
            TimeProvider.System, NullLoggerFactory.Instance);
    }

    public static NovaSessionSetup Setup(params NovaTool[] tools) => new()
    {
        InputSampleRate = InputRate,
        OutputSampleRate = 16_000,
        Tools = tools,
        Greeting = "",
    };

    public static short[] Speech(TimeSpan duration)
    {
        var samples = new short[(int)(InputRate * duration.TotalSeconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / InputRate));
        }
        return samples;
    }

    /// <summary>
    /// <paramref name="samples"/> as a new stream hears them when they are replayed from the utterance kept for it:
    /// G.711 µ-law and back (UtteranceBuffer keeps one byte a sample).
    /// </summary>
    public static short[] AsReplayed(short[] samples)
    {
        var codes = new byte[samples.Length];
        MuLaw.Encode(samples, codes);
        var decoded = new short[samples.Length];
        MuLaw.Decode(codes, decoded);
        return decoded;
    }

    public static short[] Silence(TimeSpan duration) => new short[(int)(InputRate * duration.TotalSeconds)];

    /// <summary>Sends audio as a caller would, in 32 ms events (without real-time pacing).</summary>
    public static void Say(NovaSonicSession session, params short[][] parts)
    {
        foreach (var part in parts)
        {
            for (var at = 0; at < part.Length; at += 512)
            {
                session.SendAudio(part.AsSpan(at, Math.Min(512, part.Length - at)));
            }
        }
    }

    /// <summary>Reads events (keeping them all in <paramref name="seen"/>) until one matches.</summary>
    public static async Task<T> NextAsync<T>(NovaSonicSession session, List<NovaOutputEvent> seen, Func<T, bool>? match = null)
        where T : NovaOutputEvent
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (await session.Events.WaitToReadAsync(timeout.Token))
        {
            while (session.Events.TryRead(out var output))
            {
                seen.Add(output);
                if (output is T wanted && (match is null || match(wanted)))
                {
                    return wanted;
                }
            }
        }
        throw new InvalidOperationException($"The events ended before a {typeof(T).Name}: {string.Join(", ", seen.Select(e => e.GetType().Name))}");
    }
}
