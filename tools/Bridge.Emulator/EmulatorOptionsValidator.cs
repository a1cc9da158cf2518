using System.Text.Json;
using Bridge.Emulator.Faults;
using Microsoft.Extensions.Options;

namespace Bridge.Emulator;

/// <summary>Checks the options at start; every message names the configuration key.</summary>
public sealed class EmulatorOptionsValidator : IValidateOptions<EmulatorOptions>
{
    private const string Prefix = EmulatorOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, EmulatorOptions options)
    {
        var failures = new List<string>();
        void Require(bool ok, string key, string rule)
        {
            if (!ok)
            {
                failures.Add($"{Prefix}{key} {rule}");
            }
        }

        Require(options.Port is >= 0 and <= 65535, nameof(options.Port), "must be between 0 and 65535");
        Require(options.HealthPort is null or (> 0 and <= 65535) && options.HealthPort != options.Port, nameof(options.HealthPort), "must be a port between 1 and 65535, other than Emulator:Port");
        Require(!string.IsNullOrWhiteSpace(options.Host), nameof(options.Host), "must be set");
        Require(!string.IsNullOrWhiteSpace(options.AccessKeyId), nameof(options.AccessKeyId), "must be set");
        Require(!string.IsNullOrWhiteSpace(options.SecretAccessKey), nameof(options.SecretAccessKey), "must be set");
        Require(!string.IsNullOrWhiteSpace(options.Region), nameof(options.Region), "must be set");
        Require(options.AllowedClockSkew >= TimeSpan.Zero, nameof(options.AllowedClockSkew), "must not be negative");
        Require(options.SessionLimit > TimeSpan.Zero, nameof(options.SessionLimit), "must be positive");
        Require(options.SpeechThreshold is > 0 and < 32768, nameof(options.SpeechThreshold), "must be between 1 and 32767");
        Require(options.EndOfUtteranceSilence >= TimeSpan.FromMilliseconds(10), nameof(options.EndOfUtteranceSilence), "must be at least 10 ms");
        Require(options.MinimumUtterance >= TimeSpan.Zero, nameof(options.MinimumUtterance), "must not be negative");
        Require(options.BargeInSpeech >= TimeSpan.FromMilliseconds(10), nameof(options.BargeInSpeech), "must be at least 10 ms");
        Require(options.OutputSpeed >= 0 && double.IsFinite(options.OutputSpeed), nameof(options.OutputSpeed), "must be 0 (unpaced) or a positive factor");
        Require(options.OutputChunk >= TimeSpan.FromMilliseconds(10) && options.OutputChunk <= TimeSpan.FromSeconds(1), nameof(options.OutputChunk), "must be between 10 ms and 1 s");
        Require(options.SpokenTextDuration > TimeSpan.Zero, nameof(options.SpokenTextDuration), "must be positive");
        Require(options.TlsCertificatePath is null || File.Exists(options.TlsCertificatePath), nameof(options.TlsCertificatePath), "must name an existing certificate file");

        for (var i = 0; i < options.ToolTriggers.Count; i++)
        {
            var trigger = options.ToolTriggers[i];
            var key = $"{nameof(options.ToolTriggers)}:{i}";
            Require(!string.IsNullOrWhiteSpace(trigger.Contains), key + ":Contains", "must be set");
            Require(!string.IsNullOrWhiteSpace(trigger.ToolName), key + ":ToolName", "must be set");
            Require(trigger.Input.Trim() == "auto" || IsJsonObject(trigger.Input), key + ":Input", "must be a JSON object or auto");
        }

        if (!FaultPlan.TryParse(options.Faults, out _, out var faultError))
        {
            failures.Add($"{Prefix}{nameof(options.Faults)} {faultError}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
