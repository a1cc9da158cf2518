using System.Buffers;

namespace Bridge.Buffers;

/// <summary>
/// The worker's way to rent from the shared array pools: it counts the arrays out, so a path that forgets to give
/// one back shows as <c>bridge.buffers.rented</c> never returning to its idle baseline.
/// </summary>
public static class RentedBuffers
{
    private static long _outstanding;

    /// <summary>Arrays rented through this class and not yet returned, in this process.</summary>
    public static long Outstanding => Interlocked.Read(ref _outstanding);

    public static T[] Rent<T>(int minimumLength)
    {
        var array = ArrayPool<T>.Shared.Rent(minimumLength);
        Interlocked.Increment(ref _outstanding);
        return array;
    }

    public static void Return<T>(T[] array)
    {
        Interlocked.Decrement(ref _outstanding);
        ArrayPool<T>.Shared.Return(array);
    }
}
