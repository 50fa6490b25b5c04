namespace Accounting.Model.Wire;

/// <summary>
/// A record or condition with a fixed wire layout. The static Unpack lets messages be generic over the
/// record type, which the message type implies on the wire (wire spec §8.3).
/// </summary>
public interface IWireRecord<TSelf> where TSelf : IWireRecord<TSelf>
{
    static abstract TSelf Unpack(ref SlurmReader reader);

    void Pack(SlurmWriter writer);
}

/// <summary>A record that travels in lists.</summary>
public interface IListRecord<TSelf> : IWireRecord<TSelf> where TSelf : IListRecord<TSelf>
{
    /// <summary>Fewest bytes one packed record can take; bounds what a list count may claim.</summary>
    static abstract int MinimumPackedSize { get; }
}
