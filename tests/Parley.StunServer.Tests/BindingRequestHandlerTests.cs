using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.StunServer.Tests;

public sealed class BindingRequestHandlerTests
{
    private readonly BindingRequestHandler _handler = new("Parley test");
    private readonly byte[] _response = new byte[BindingRequestHandler.MaxResponseLength];

    private int Handle(byte[] request, StunRequestContext context, out StunResponseRoute route) =>
        _handler.Handle(request, context, _response, out route);

    private static StunRequestContext Plain(StunTransport transport = StunTransport.Udp) =>
        new(Requests.Client, transport, Requests.Server);

    private static StunRequestContext OnGrid(int socketIndex, StunTransport transport = StunTransport.Udp) =>
        new(Requests.Client, transport, Requests.Grid.Get(socketIndex >> 1, socketIndex & 1), Requests.Grid, socketIndex);

    [Fact]
    public void A_binding_request_gets_its_reflexive_address_software_and_fingerprint()
    {
        byte[] request = Requests.Binding();
        int length = Handle(request, Plain(), out StunResponseRoute route);

        StunMessage response = Requests.Parse(_response.AsSpan(0, length));
        Assert.Equal(StunMessageType.BindingSuccess, response.Type);
        Assert.Equal(TransactionId.Read(request.AsSpan(8)), response.TransactionId);
        Assert.True(response.TryGet(out XorMappedAddress mapped));
        Assert.Equal(Requests.Client, mapped.Address);
        Assert.True(response.TryGet(out Software software));
        Assert.Equal("Parley test", software.ToString());
        Assert.False(response.Contains(StunAttributeType.OtherAddress), "no RFC 5780 attributes without a grid");
        Assert.Equal(new StunResponseRoute(Requests.Client, 0), route);
    }

    [Fact]
    public void A_request_without_fingerprint_is_answered_and_one_with_a_bad_fingerprint_is_dropped()
    {
        Assert.True(Handle(Requests.Binding(fingerprint: false), Plain(), out _) > 0);

        byte[] request = Requests.Binding();
        request[^1] ^= 1;
        Assert.Equal(0, Handle(request, Plain(), out _));
    }

    [Fact]
    public void Indications_responses_and_non_stun_bytes_get_no_answer()
    {
        Assert.Equal(0, Handle(Requests.Binding(@class: StunClass.Indication), Plain(), out _));
        Assert.Equal(0, Handle(Requests.Binding(@class: StunClass.SuccessResponse), Plain(), out _));
        Assert.Equal(0, Handle(Requests.Binding(@class: StunClass.ErrorResponse), Plain(), out _));
        Assert.Equal(0, Handle("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), Plain(), out _));
        Assert.Equal(0, Handle([], Plain(), out _));
    }

    [Fact]
    public void A_request_with_an_unknown_comprehension_required_attribute_gets_420_listing_it()
    {
        byte[] request = Requests.Binding((ref StunMessageBuilder b) =>
        {
            b.AddRaw((StunAttributeType)0x7F01, [1, 2, 3, 4]);
            b.AddRaw((StunAttributeType)0xC001, [1]); // comprehension-optional: ignored
            b.AddRaw((StunAttributeType)0x7F01, [5, 6, 7, 8]);
        });
        StunMessage response = Requests.Parse(_response.AsSpan(0, Handle(request, Plain(), out _)));

        Assert.Equal(StunMessageType.BindingError, response.Type);
        Assert.True(response.TryGet(out ErrorCode error));
        Assert.Equal(420, error.Code);
        Assert.True(response.TryGet(out UnknownAttributes unknown));
        Assert.Equal(1, unknown.Count);
        Assert.Equal((StunAttributeType)0x7F01, unknown[0]);
    }

    [Fact]
    public void Change_request_without_an_alternate_address_is_an_unknown_attribute()
    {
        byte[] request = Requests.Binding((ref StunMessageBuilder b) => b.Add(new ChangeRequest(true, true)));
        StunMessage response = Requests.Parse(_response.AsSpan(0, Handle(request, Plain(), out _)));
        Assert.True(response.TryGet(out UnknownAttributes unknown));
        Assert.Equal(StunAttributeType.ChangeRequest, unknown[0]);
    }

    [Fact]
    public void A_well_framed_request_with_malformed_attributes_gets_400()
    {
        byte[] request = Requests.Binding((ref StunMessageBuilder b) => b.Add(new Username("alice")), fingerprint: false);
        request[22] = 0x10; // USERNAME now claims 4096 bytes
        StunMessage response = Requests.Parse(_response.AsSpan(0, Handle(request, Plain(), out _)));
        Assert.True(response.TryGet(out ErrorCode error));
        Assert.Equal(400, error.Code);
        Assert.Equal(TransactionId.Read(request.AsSpan(8)), response.TransactionId);
    }

    [Fact]
    public void Another_method_gets_400_with_that_method_in_the_error_response()
    {
        byte[] request = Requests.Binding(method: StunMethod.Allocate);
        StunMessage response = Requests.Parse(_response.AsSpan(0, Handle(request, Plain(), out _)));
        Assert.Equal(new StunMessageType(StunMethod.Allocate, StunClass.ErrorResponse), response.Type);
        Assert.True(response.TryGet(out ErrorCode error));
        Assert.Equal(400, error.Code);
    }

    [Theory]
    [InlineData(0, false, false, 0)]
    [InlineData(0, true, false, 2)]
    [InlineData(0, false, true, 1)]
    [InlineData(0, true, true, 3)]
    [InlineData(3, true, true, 0)]
    [InlineData(1, true, false, 3)]
    public void On_a_grid_change_request_picks_the_socket_and_the_response_says_where_it_came_from(
        int receivedOn, bool changeIp, bool changePort, int expectedSocket)
    {
        byte[] request = Requests.Binding((ref StunMessageBuilder b) => b.Add(new ChangeRequest(changeIp, changePort)));
        int length = Handle(request, OnGrid(receivedOn), out StunResponseRoute route);
        StunMessage response = Requests.Parse(_response.AsSpan(0, length));

        Assert.Equal(expectedSocket, route.SocketIndex);
        Assert.Equal(Requests.Client, route.Destination);
        Assert.True(response.TryGet(out ResponseOrigin origin));
        Assert.Equal(Requests.Grid.Get(expectedSocket >> 1, expectedSocket & 1), origin.Address);
        Assert.True(response.TryGet(out OtherAddress other));
        Assert.Equal(Requests.Grid.Get(1 - (receivedOn >> 1), 1 - (receivedOn & 1)), other.Address);
        Assert.True(response.TryGet(out MappedAddress mapped));
        Assert.Equal(Requests.Client, mapped.Address);
    }

    [Fact]
    public void Change_request_over_tcp_gets_400()
    {
        byte[] request = Requests.Binding((ref StunMessageBuilder b) => b.Add(new ChangeRequest(true, false)));
        StunMessage response = Requests.Parse(_response.AsSpan(0, Handle(request, OnGrid(0, StunTransport.Tcp), out _)));
        Assert.True(response.TryGet(out ErrorCode error));
        Assert.Equal(400, error.Code);
    }

    [Fact]
    public void Response_port_redirects_the_answer_to_that_port_of_the_client()
    {
        byte[] request = Requests.Binding((ref StunMessageBuilder b) => b.Add(new ResponsePort(50000)));
        Handle(request, OnGrid(0), out StunResponseRoute route);
        Assert.Equal(Requests.Client.WithPort(50000), route.Destination);
    }

    [Fact]
    public void Padding_is_echoed_up_to_the_cap()
    {
        byte[] request = Requests.Binding((ref StunMessageBuilder b) => b.Add(new Padding(1500)));
        StunMessage response = Requests.Parse(_response.AsSpan(0, Handle(request, OnGrid(0), out _)));
        Assert.True(response.TryGet(out Padding padding));
        Assert.Equal(1200, padding.Length);
    }

    [Fact]
    public void Answering_a_binding_request_allocates_nothing()
    {
        byte[] request = Requests.Binding();
        byte[] unknown = Requests.Binding((ref StunMessageBuilder b) => b.AddRaw((StunAttributeType)0x7F01, [1, 2, 3, 4]));
        StunRequestContext context = Plain();
        for (int i = 0; i < 100; i++)
        {
            _handler.Handle(request, context, _response, out _); // warm up: JIT, statics
            _handler.Handle(unknown, context, _response, out _);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            _handler.Handle(request, context, _response, out _);
            _handler.Handle(unknown, context, _response, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
