// CPU time (not wall time) of framing and signing one 32 ms audio event, for machines too busy for BenchmarkDotNet's
// wall-clock figures to mean much. Build first: dotnet build Bridge.Benchmarks -c Release
// Run: dotnet fsi --optimize+ Bridge.Benchmarks/Bedrock/FrameCpuTime.fsx
#r "../bin/Release/net10.0/AWSSDK.Core.dll"
#r "../bin/Release/net10.0/AWSSDK.Extensions.Numerics.dll"
#r "../bin/Release/net10.0/System.IO.Hashing.dll"
#r "../bin/Release/net10.0/Bridge.MediaWorker.dll"

open System
open Bridge.Bedrock

let framer = new SignedEventFramer(new EventSignatureChain("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "bedrock", String('a', 64)))
let pcm = Array.init 1024 (fun i -> byte (i * 7)) // 512 samples: 32 ms at 16 kHz
let json = Array.zeroCreate<byte> 1600
let frame = Array.zeroCreate<byte> 3000
let now = DateTimeOffset.UtcNow

// The audioInput JSON is the base64 PCM plus about 120 bytes of names around it.
let once () =
    let mutable consumed = 0
    let mutable written = 0
    Buffers.Text.Base64.EncodeToUtf8(ReadOnlySpan pcm, Span json, &consumed, &written) |> ignore
    framer.FrameEvent(ReadOnlySpan(json, 0, written + 120), now, Span frame) |> ignore

for _ in 1..200000 do once ()
let proc = Diagnostics.Process.GetCurrentProcess()
for _ in 1..5 do
    proc.Refresh()
    let cpu0 = proc.TotalProcessorTime
    let wall = Diagnostics.Stopwatch.StartNew()
    let n = 200000
    for _ in 1..n do once ()
    proc.Refresh()
    printfn "cpu %.2f us/op  wall %.2f us/op" ((proc.TotalProcessorTime - cpu0).TotalMilliseconds * 1000.0 / float n) (wall.Elapsed.TotalMilliseconds * 1000.0 / float n)
