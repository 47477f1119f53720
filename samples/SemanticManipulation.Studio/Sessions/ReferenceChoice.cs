namespace SemanticManipulation.Studio.Sessions;

/// <summary>The reference image a restyle copies the appearance of.</summary>
internal abstract record ReferenceChoice
{
    /// <summary>How the page lists it: <c>sample:ID</c>, <c>seed:N</c> or <c>upload:ID</c>.</summary>
    public abstract string Label { get; }

    /// <summary>A shipped sample.</summary>
    public sealed record Sample(string Id, string Path) : ReferenceChoice
    {
        public override string Label => $"sample:{Id}";
    }

    /// <summary>A generated image (its representation is known exactly).</summary>
    public sealed record Seed(long Value) : ReferenceChoice
    {
        public override string Label => $"seed:{Value}";
    }

    /// <summary>An image the session uploaded as a reference.</summary>
    public sealed record Upload(string Id) : ReferenceChoice
    {
        public override string Label => $"upload:{Id}";
    }
}
