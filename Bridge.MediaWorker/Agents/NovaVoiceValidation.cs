using Bridge.Agents.Voices;
using Bridge.NovaSonic;
using Microsoft.Extensions.Options;

namespace Bridge.MediaWorker.Agents;

/// <summary><c>Conversation:Voice</c> must be one of Nova 2 Sonic's voices (<see cref="NovaVoices"/>, the list the profiles are checked against too).</summary>
internal sealed class NovaVoiceValidation : IValidateOptions<NovaSonicOptions>
{
    public ValidateOptionsResult Validate(string? name, NovaSonicOptions options) =>
        NovaVoices.Ids.Contains(options.Voice)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Conversation:Voice '{options.Voice}' is not a Nova Sonic voice ({string.Join(", ", NovaVoices.Ids)}).");
}
