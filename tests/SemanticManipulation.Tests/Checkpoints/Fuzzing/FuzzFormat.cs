namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>The file formats the checkpoint fuzzer mutates: every format the SDK reads.</summary>
internal enum FuzzFormat
{
    SafeTensors,
    PyTorchZip,
    PyTorchLegacy,
    Npy,
}
