namespace SemanticManipulation.Studio.Api;

/// <summary>The body of every refusal.</summary>
/// <param name="Error">One line: what is wrong and how to fix it.</param>
internal sealed record ApiError(string Error);
