using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// A typed attribute value: the attribute's name, a parser for the text after <c>a=name:</c> that returns false on bad
/// input, and the writer for the same text. <see cref="SdpSection.GetAll{T}"/>, <see cref="SdpSection.Add{T}"/> and
/// the other generic members of a section work with any of them.
/// </summary>
public interface ISdpAttribute<TSelf>
    where TSelf : class, ISdpAttribute<TSelf>
{
    static abstract string AttributeName { get; }

    static abstract bool TryParseValue(string value, [NotNullWhen(true)] out TSelf? attribute);

    /// <summary>The text after <c>a=name:</c>.</summary>
    string FormatValue();
}
