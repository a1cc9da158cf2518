namespace Bridge.Security;

/// <summary>The outcome of checking a Twilio signature, with the reason a failure is logged under.</summary>
public readonly record struct SignatureCheck(bool IsValid, string Reason)
{
    public static SignatureCheck Valid { get; } = new(true, "valid");

    public static SignatureCheck Invalid(string reason) => new(false, reason);
}
