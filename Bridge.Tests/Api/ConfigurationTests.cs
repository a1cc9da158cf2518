using Bridge.Tests.Support;

namespace Bridge.Tests.Api;

/// <summary>
/// A bad setting stops the service at start with one line naming the key: no stack trace, no first-call failure.
/// Through the real processes (the api, the media worker and the emulator), as a user or ECS starts them.
/// </summary>
public sealed class ConfigurationTests
{
    private const string GoodToken = "f1e2d3c4b5a697887766554433221100";
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A whole good configuration outside Development (these processes run in Production): each row spoils one key.</summary>
    private static readonly Dictionary<string, string> GoodSettings = new()
    {
        ["Twilio__AuthToken"] = GoodToken,
        ["Twilio__AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["Bridge__PublicBaseUrl"] = "https://voice.example.com",
        ["Bedrock__Region"] = "us-east-1",
        ["Softphone__WebhookUrl"] = "http://127.0.0.1:5080/webhook",
    };

    public static TheoryData<string, string, string, string> BadSettings() => new()
    {
        { "Bridge.Api", "Twilio__AuthToken", "", "Twilio:AuthToken" },
        { "Bridge.MediaWorker", "Twilio__AuthToken", "", "Twilio:AuthToken" },
        { "Bridge.Api", "Bridge__PublicBaseUrl", "ftp://voice.example.com", "Bridge:PublicBaseUrl" },
        { "Bridge.Api", "Bridge__PublicBaseUrl", "https://voice.example.com/?x=1", "Bridge:PublicBaseUrl" },
        { "Bridge.MediaWorker", "Bridge__TrustedProxies__0", "the load balancer", "Bridge:TrustedProxies" },
        { "Bridge.Api", "Bridge__FallbackNumber", "555-1234", "Bridge:FallbackNumber" },
        { "Bridge.Api", "Bridge__StreamTokenLifetime", "01:00:00", "Bridge:StreamTokenLifetime" },
        { "Bridge.MediaWorker", "Bedrock__Region", "", "Bedrock:Region" },
        { "Bridge.MediaWorker", "Audio__ModelInputRate", "44100", "Audio:ModelInputRate" },
        { "Bridge.MediaWorker", "Calls__MaxConcurrent", "0", "Calls:MaxConcurrent" },
        { "Bridge.MediaWorker", "Calls__TransferTarget", "reception", "Calls:TransferTarget" },
        { "Bridge.MediaWorker", "Conversation__Voice", "hal9000", "Conversation:Voice" },
        { "Bridge.Api", "RateLimits__Webhooks__PermitsPerSecond", "0", "RateLimits:Webhooks:PermitsPerSecond" },
        { "Bridge.MediaWorker", "RateLimits__MediaStreams__Burst", "5", "RateLimits:MediaStreams:Burst" },
        { "Bridge.Api", "Health__Memory__DegradedHeapPercent", "0", "Health:Memory:DegradedHeapPercent" },
        { "Bridge.MediaWorker", "Health__Memory__UnhealthyWorkingSetPercent", "101", "Health:Memory:UnhealthyWorkingSetPercent" },
        { "Bridge.Api", "Telemetry__TraceSampleRatio", "1.5", "Telemetry:TraceSampleRatio" },
        { "Bridge.MediaWorker", "Development__CallEvents", "true", "Development:CallEvents" },
        { "Bridge.Softphone", "Softphone__WebhookUrl", "", "Softphone:WebhookUrl" },
        { "Bridge.Softphone", "Softphone__RestApi", "http://10.1.2.3:5099", "Softphone:RestApi" },
        { "Bridge.Softphone", "Twilio__AuthToken", "", "Twilio:AuthToken" },
        // Outside Development: the public URL (https), a real auth token, and the worker's account.
        { "Bridge.Api", "Bridge__PublicBaseUrl", "", "Bridge:PublicBaseUrl" },
        { "Bridge.MediaWorker", "Bridge__PublicBaseUrl", "", "Bridge:PublicBaseUrl" },
        { "Bridge.MediaWorker", "Bridge__PublicBaseUrl", "http://voice.example.com", "Bridge:PublicBaseUrl" },
        { "Bridge.Api", "Twilio__AuthToken", "x", "Twilio:AuthToken" },
        { "Bridge.MediaWorker", "Twilio__AuthToken", "not-hex-but-thirty-two-characters", "Twilio:AuthToken" },
        { "Bridge.MediaWorker", "Twilio__AccountSid", "", "Twilio:AccountSid" },
        { "Bridge.MediaWorker", "Twilio__AccountSid", "AC123", "Twilio:AccountSid" },
        // What bounds a socket before its start and a call after it.
        { "Bridge.MediaWorker", "Calls__PendingStreams__MaxPerAddress", "100", "Calls:PendingStreams:MaxPerAddress" },
        { "Bridge.MediaWorker", "Calls__PendingStreams__MaxTotal", "0", "Calls:PendingStreams:MaxTotal" },
        { "Bridge.MediaWorker", "Twilio__MediaStream__StartTimeout", "00:00:00.010", "Twilio:MediaStream:StartTimeout" },
        { "Bridge.MediaWorker", "Twilio__MediaStream__ControlFramesPerSecond", "0", "Twilio:MediaStream:ControlFramesPerSecond" },
        { "Bridge.MediaWorker", "Calls__MaxDuration", "00:00:01", "Calls:MaxDuration" },
        { "Bridge.MediaWorker", "Calls__InactivityTimeout", "01:00:00", "Calls:InactivityTimeout" },
        { "Bridge.MediaWorker", "Calls__MaxCallerAudioAhead", "00:00:00.050", "Calls:MaxCallerAudioAhead" },
        { "Bridge.MediaWorker", "Twilio__Rest__ConfirmTimeout", "00:05:00", "Twilio:Rest:ConfirmTimeout" },
        // The outbound call API.
        { "Bridge.Api", "Outbound__CallerIds__0", "555-0100", "Outbound:CallerIds" },
        { "Bridge.Api", "Outbound__RingTimeout", "01:00:00", "Outbound:RingTimeout" },
        { "Bridge.Api", "Outbound__Workers", "media-worker:8080", "Outbound:Workers" },
        { "Bridge.Api", "Twilio__Rest__CreateTimeout", "00:05:00", "Twilio:Rest:CreateTimeout" },
        { "Bridge.Api", "RateLimits__OutboundCalls__Burst", "0", "RateLimits:OutboundCalls:Burst" },
        { "Bridge.Api", "RateLimits__OutboundStatus__PermitsPerSecond", "0", "RateLimits:OutboundStatus:PermitsPerSecond" },
        { "Bridge.Api", "RateLimits__OutboundStatus__Burst", "many", "RateLimits:OutboundStatus:Burst" },
        // The worker's part of outbound calls: the secret that signs conversation callbacks, and the transcript's bound.
        { "Bridge.MediaWorker", "Outbound__CallbackSecret", "short", "Outbound:CallbackSecret" },
        { "Bridge.MediaWorker", "Outbound__TranscriptCharacters", "-1", "Outbound:TranscriptCharacters" },
        // Values the configuration binder cannot convert to the setting's type.
        { "Bridge.MediaWorker", "Calls__MaxConcurrent", "abc", "Calls:MaxConcurrent" },
        { "Bridge.Api", "Bridge__StreamTokenLifetime", "abc", "Bridge:StreamTokenLifetime" },
        { "Bridge.MediaWorker", "Audio__ModelInputRate", "8k", "Audio:ModelInputRate" },
        { "Bridge.MediaWorker", "Calls__DrainTimeout", "2 minutes", "Calls:DrainTimeout" },
        { "Bridge.MediaWorker", "Twilio__Rest__BaseAddress", "http://[::1", "Twilio:Rest:BaseAddress" },
        { "Bridge.Api", "RateLimits__Webhooks__Burst", "lots", "RateLimits:Webhooks:Burst" },
        { "Bridge.Api", "Health__Memory__DegradedHeapPercent", "75%", "Health:Memory:DegradedHeapPercent" },
        { "Bridge.MediaWorker", "Telemetry__TraceSampleRatio", "half", "Telemetry:TraceSampleRatio" },
        { "Bridge.Emulator", "Emulator__Mode", "fast", "Emulator:Mode" },
        { "Bridge.Emulator", "Emulator__SessionLimit", "90 seconds", "Emulator:SessionLimit" },
        { "Bridge.Emulator", "Emulator__Port", "70000", "Emulator:Port" },
        { "Bridge.Emulator", "Health__Memory__UnhealthyWorkingSetPercent", "x", "Health:Memory:UnhealthyWorkingSetPercent" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_service_at_start_with_one_line_naming_the_key(string service, string variable, string value, string key)
    {
        var environment = new Dictionary<string, string>(GoodSettings) { [variable] = value };

        var exit = await ServiceProcess.RunUntilExitAsync(service, environment, ExitTimeout);

        Assert.Equal(2, exit.Code);
        var line = Assert.Single(exit.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Configuration error: ", line, StringComparison.Ordinal);
        Assert.Contains(key, line, StringComparison.Ordinal);
        Assert.DoesNotContain(GoodToken, exit.StandardError + exit.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>An outbound API key and the secret its callbacks are signed with, both good.</summary>
    private const string OutboundKeys = "Outbound__ApiKeys__crm=crm-key-0123456789abcdefghijklmnopqrstuv;Outbound__CallbackSecret=callback-secret-0123456789abcdefghijklmnop";

    /// <summary>Settings as NAME=value separated by ';', and the keys that must each get their own line.</summary>
    public static TheoryData<string, string, string[]> SeveralBadSettings() => new()
    {
        // The media worker run alone with nothing configured (these processes run in Production).
        { "Bridge.MediaWorker", "", ["Twilio:AuthToken", "Bedrock:Region", "Bridge:PublicBaseUrl", "Twilio:AccountSid"] },
        { "Bridge.MediaWorker", $"Twilio__AuthToken={GoodToken};Twilio__AccountSid=AC0123456789abcdef0123456789abcdef;Bridge__PublicBaseUrl=https://voice.example.com;Bedrock__Region=us-east-1;Calls__MaxConcurrent=abc;Calls__DrainTimeout=soon;Audio__ModelOutputRate=7;Bridge__StreamTokenLifetime=abc",
            ["Calls:MaxConcurrent", "Calls:DrainTimeout", "Audio:ModelOutputRate", "Bridge:StreamTokenLifetime"] },
        { "Bridge.Api", "Bridge__PublicBaseUrl=https://voice.example.com;Bridge__StreamTokenLifetime=abc;Bridge__FallbackNumber=555;RateLimits__Webhooks__PermitsPerSecond=x",
            ["Twilio:AuthToken", "Bridge:StreamTokenLifetime", "Bridge:FallbackNumber", "RateLimits:Webhooks:PermitsPerSecond"] },
        // An API key too short to be a secret, and with keys, no secret to sign the operators' callbacks.
        { "Bridge.Api", $"Twilio__AuthToken={GoodToken};Twilio__AccountSid=AC0123456789abcdef0123456789abcdef;Bridge__PublicBaseUrl=https://voice.example.com;Outbound__ApiKeys__crm=short",
            ["Outbound:ApiKeys:crm", "Outbound:CallbackSecret"] },
        // With keys, calls are placed as the account: it is required (in Development too), and must be well formed.
        { "Bridge.Api", $"Twilio__AuthToken={GoodToken};Bridge__PublicBaseUrl=https://voice.example.com;{OutboundKeys}",
            ["Twilio:AccountSid"] },
        { "Bridge.Api", $"ASPNETCORE_ENVIRONMENT=Development;DOTNET_ENVIRONMENT=Development;Twilio__AuthToken={GoodToken};{OutboundKeys}",
            ["Twilio:AccountSid"] },
        { "Bridge.Api", $"Twilio__AuthToken={GoodToken};Twilio__AccountSid=AC123;Bridge__PublicBaseUrl=https://voice.example.com;{OutboundKeys}",
            ["Twilio:AccountSid"] },
        { "Bridge.Emulator", "Emulator__Port=abc;Emulator__Mode=fast;Emulator__SpeechThreshold=0;Telemetry__TraceSampleRatio=2",
            ["Emulator:Port", "Emulator:Mode", "Emulator:SpeechThreshold", "Telemetry:TraceSampleRatio"] },
    };

    [Theory]
    [MemberData(nameof(SeveralBadSettings))]
    public async Task Several_bad_settings_each_get_their_own_line_and_exit_code_2(string service, string settings, string[] keys)
    {
        var environment = settings.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(setting => setting.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

        var exit = await ServiceProcess.RunUntilExitAsync(service, environment, ExitTimeout);

        Assert.True(exit.Code == 2, $"exit code {exit.Code}:\n{exit.StandardError}");
        var lines = exit.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.StartsWith("Configuration error: ", line, StringComparison.Ordinal));
        Assert.Equal(keys.Length, lines.Length);
        foreach (var key in keys)
        {
            Assert.Single(lines, line => line.Contains(key, StringComparison.Ordinal));
        }
    }
}
