using Bridge.Bedrock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.NovaSonic;

/// <summary>Opens conversations: the first stream through the shared opening pipeline, then the greeting.</summary>
public sealed class NovaSonicSessionFactory(
    BedrockEventStreamClient client,
    IOptions<BedrockOptions> bedrock,
    IOptions<NovaSonicOptions> conversation,
    NovaStreamOpening opening,
    TimeProvider time,
    ILoggerFactory loggers)
{
    /// <summary>
    /// Opens a session and, when a greeting is configured, asks the model to speak first. Throws
    /// <see cref="BedrockStreamException"/> when no stream could be opened, or Polly's
    /// <c>BrokenCircuitException</c> while Bedrock is known to be failing.
    /// </summary>
    public async Task<NovaSonicSession> OpenAsync(NovaSessionSetup setup, CancellationToken cancellationToken)
    {
        setup.Validate();
        var settings = new NovaStreamSettings(bedrock.Value.ModelId, setup.ApplyTo(conversation.Value), setup, bedrock.Value.OpenTimeout);
        var history = new NovaConversationHistory(setup.History);
        var logger = loggers.CreateLogger<NovaSonicSession>();

        async Task<INovaStream> Open(IReadOnlyList<NovaTurn> turns, int generation, CancellationToken token) =>
            await opening.Pipeline.ExecuteAsync(
                async attemptToken => await NovaStreamConnection.OpenAsync(client, settings, turns, generation, time, logger, attemptToken).ConfigureAwait(false),
                token).ConfigureAwait(false);

        var first = await Open(history.ForNewStream(), 1, cancellationToken).ConfigureAwait(false);
        var session = new NovaSonicSession(first, Open, history, conversation.Value, setup.InputSampleRate, time, logger);

        var greeting = setup.Greeting ?? conversation.Value.Greeting;
        if (!string.IsNullOrWhiteSpace(greeting))
        {
            session.SendText(greeting);
        }
        return session;
    }
}
