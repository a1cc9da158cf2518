using Microsoft.AspNetCore.Http;

namespace Bridge.Security;

public static class WebSocketUpgradeValidation
{
    /// <summary>Checks the signature Twilio puts on the upgrade GET of a media stream, over the ws(s):// URL it dialed.</summary>
    public static SignatureCheck CheckTwilioUpgrade(this HttpContext context, TwilioSignatureValidator validator, PublicUrl publicUrl) =>
        validator.ValidateWebSocketUpgrade(
            publicUrl.ForWebSocket(context.Request),
            context.Request.Headers[TwilioSignatureValidator.HeaderName].ToString());
}
