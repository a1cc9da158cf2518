namespace Bridge.Security;

public enum StreamTokenCheck
{
    Valid,
    Missing,
    Malformed,
    Expired,
    BadSignature,
    CallSidMismatch,
}
