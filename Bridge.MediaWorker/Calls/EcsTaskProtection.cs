using System.Net.Http.Json;
using Polly;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// On ECS (ECS_AGENT_URI set), protects this task from scale-in while it has live calls and releases the
/// protection when it is idle, so that autoscaling never cuts a conversation. The protection expires on its own
/// (<see cref="ExpiresInMinutes"/>) if this process dies, and is renewed while calls go on.
/// </summary>
public sealed partial class EcsTaskProtection : BackgroundService
{
    public const string AgentUriVariable = "ECS_AGENT_URI";
    public const int ExpiresInMinutes = 60;
    internal static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(ExpiresInMinutes / 2);

    /// <summary>
    /// The pause before asking again after a failed attempt (which itself took the HTTP client's retries, up to about
    /// 30 s). Short, because a task with live calls and no protection can be cut by the next scale-in; not shorter,
    /// because the agent forwards each request to the ECS API, which throttles, and a failure that lasts (a missing
    /// permission) should not flood the log: one warning per ~40 s at worst.
    /// </summary>
    internal static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);

    private readonly CallRegistry _registry;
    private readonly HttpClient _http;
    private readonly Uri? _stateUri;
    private readonly TimeProvider _time;
    private readonly ILogger<EcsTaskProtection> _logger;
    private readonly SemaphoreSlim _changed = new(0);

    public EcsTaskProtection(CallRegistry registry, HttpClient http, IConfiguration configuration, TimeProvider time, ILogger<EcsTaskProtection> logger)
    {
        _registry = registry;
        _http = http;
        _time = time;
        _logger = logger;
        if (configuration[AgentUriVariable] is { Length: > 0 } agent)
        {
            _stateUri = new Uri(agent.TrimEnd('/') + "/task-protection/v1/state");
        }
    }

    /// <summary>Whether this task last asked for protection.</summary>
    public bool Protected { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_stateUri is null)
        {
            return;
        }
        _registry.ActiveChanged += _ => _changed.Release();
        var renewedAt = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wanted = _registry.Active > 0;
            var due = wanted && _time.GetUtcNow() - renewedAt >= RenewEvery;
            var wait = RenewEvery;
            if (wanted != Protected || due)
            {
                if (await SetAsync(wanted, stoppingToken))
                {
                    Protected = wanted;
                    renewedAt = _time.GetUtcNow();
                }
                else
                {
                    // Both ways matter: unprotected with calls, a scale-in may cut them; protected when idle, the
                    // task blocks scale-in until the protection expires.
                    wait = RetryAfterFailure;
                }
            }
            try
            {
                await WaitForChangeAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Until the call count changes or <paramref name="wait"/> has passed on the injected clock.</summary>
    private async Task WaitForChangeAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(wait, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await _changed.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The wait is over; a cancelled WaitAsync takes no count, so no change is lost.
        }
    }

    private async Task<bool> SetAsync(bool enabled, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.PutAsJsonAsync(
                _stateUri,
                new ProtectionState(enabled, enabled ? ExpiresInMinutes : null),
                cancellationToken);
            response.EnsureSuccessStatusCode();
            LogProtection(enabled);
            return true;
        }
        // ExecutionRejectedException: the HTTP client's resilience pipeline gives up on a hung agent with a timeout
        // (or refuses with an open circuit); escaping here it would fault this service, which stops the host.
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ExecutionRejectedException
                                  && !cancellationToken.IsCancellationRequested)
        {
            LogProtectionFailed(enabled, e.Message);
            return false;
        }
    }

    private sealed record ProtectionState(
        [property: System.Text.Json.Serialization.JsonPropertyName("ProtectionEnabled")] bool ProtectionEnabled,
        [property: System.Text.Json.Serialization.JsonPropertyName("ExpiresInMinutes")]
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        int? ExpiresInMinutes);

    [LoggerMessage(Level = LogLevel.Information, Message = "ECS scale-in protection {Enabled}")]
    private partial void LogProtection(bool enabled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not set ECS scale-in protection to {Enabled}: {Reason}")]
    private partial void LogProtectionFailed(bool enabled, string reason);
}
