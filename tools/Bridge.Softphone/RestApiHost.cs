using Bridge.Security;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Outbound;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Options;

namespace Bridge.Softphone;

/// <summary>
/// Serves Twilio's REST API for the softphone's live calls (<c>Softphone:RestApi</c>, by default
/// http://127.0.0.1:5099, where a local AppHost points the worker's <c>Twilio:Rest:BaseAddress</c>), so the agent's
/// <c>hang_up</c> and <c>transfer_call</c> tools end or transfer the browser's call as they would a real one.
/// If another stand-in (<c>bridge-call call</c>) serves that address already, the softphone serves its calls on a free
/// port and announces each to it (<see cref="SharedRestApi"/>); if the address cannot be had at all, the softphone
/// still works and says that those tools cannot reach its calls. Holding the address, it also places the outbound
/// calls a local api creates there (<see cref="OutboundCalls"/>: the simulator's person or voicemail answers).
/// </summary>
internal sealed partial class RestApiHost(
    IOptions<SoftphoneOptions> options,
    IOptions<TwilioOptions> twilio,
    LiveCalls calls,
    ILogger<RestApiHost> logger,
    ILogger<CallSimulation> callLogger) : IHostedService, IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private TwilioCallsApi? _api;
    private OutboundCalls? _outbound;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.RestApi == "off")
        {
            return;
        }
        try
        {
            if (twilio.Value.AccountSid is { } account)
            {
                _outbound = new OutboundCalls(account, twilio.Value.AuthToken, _http, calls, TimeProvider.System, callLogger);
            }
            _api = await TwilioCallsApi.ServeOrShareAsync(new Uri(options.Value.RestApi), calls, cancellationToken, _outbound);
            if (_api.SharedWith is { } shared)
            {
                LogSharing(logger, shared, _api.BaseAddress);
            }
            else
            {
                LogServing(logger, _api.BaseAddress);
            }
        }
        catch (IOException e)
        {
            LogAddressTaken(logger, options.Value.RestApi, e.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
            _api = null;
        }
        if (_outbound is not null)
        {
            await _outbound.DisposeAsync();
            _outbound = null;
        }
        _http.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio's REST API for the softphone's calls is served at {Address}")]
    private static partial void LogServing(ILogger logger, Uri address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio's REST API at {Shared} is served by another stand-in: the softphone's calls are served at {Own} and announced to it")]
    private static partial void LogSharing(ILogger logger, Uri shared, Uri own);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio's REST API cannot be served at {Address} ({Reason}): the agent's hang_up and transfer_call will not reach the softphone's calls")]
    private static partial void LogAddressTaken(ILogger logger, string address, string reason);
}
