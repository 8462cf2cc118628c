#include "wire/authenticator.h"

#include "wire/classic_codec.h"
#include "wire/digest.h"
#include "wire/netstring_codec.h"

namespace hbd::wire {
namespace {

std::string Token(const config::AuthKey& key, std::string_view bytes) {
  return std::to_string(key.index) + " " + ComputeDigest(key.method, key.secret, bytes);
}

}  // namespace

Authenticator::Authenticator(config::AuthConfig auth) : auth_(std::move(auth)) {}

std::string Authenticator::SignBytes(std::string_view bytes) const {
  const config::AuthKey* key = auth_.Find(auth_.sign_index);
  if (key == nullptr)
    return std::string();
  return Token(*key, bytes);
}

std::string Authenticator::SignAndEncode(Message& message) const {
  const config::AuthKey* key = auth_.Find(auth_.sign_index);
  if (key != nullptr)
    message.Set(field::kAuth, Token(*key, ClassicSignedText(message)));
  std::string datagram = EncodeNetstringBody(message);
  if (key != nullptr)
    datagram += EncodeNetstring(Token(*key, datagram));
  return datagram;
}

std::optional<RejectReason> Authenticator::LookUp(std::string_view token,
                                                  const config::AuthKey*& key,
                                                  std::string_view& hex) const {
  if (token.empty())
    return RejectReason::kNoDigest;
  size_t space = token.find(' ');
  if (space == std::string_view::npos || space == 0 || space > 2 || space + 1 == token.size()) {
    return RejectReason::kBadDigestFormat;
  }
  int index = 0;
  for (size_t i = 0; i < space; ++i) {
    if (token[i] < '0' || token[i] > '9')
      return RejectReason::kBadDigestFormat;
    index = index * 10 + (token[i] - '0');
  }
  key = auth_.Find(index);
  if (key == nullptr)
    return RejectReason::kUnknownKeyIndex;
  hex = token.substr(space + 1);
  return std::nullopt;
}

DigestStream* Authenticator::StreamFor(const config::AuthKey& key) const {
  size_t slot = static_cast<size_t>(&key - auth_.keys.data());
  if (slot >= auth_.keys.size())
    return nullptr;  // not one of ours (cannot happen: LookUp finds keys in auth_.keys)
  if (streams_.by_key.size() != auth_.keys.size())
    streams_.by_key.resize(auth_.keys.size());
  std::unique_ptr<DigestStream>& stream = streams_.by_key[slot];
  if (stream == nullptr)
    stream = std::make_unique<DigestStream>(key.method, key.secret);
  else
    stream->Reset();
  return stream.get();
}

std::optional<RejectReason> Authenticator::VerifyToken(std::string_view token,
                                                       std::string_view bytes) const {
  const config::AuthKey* key = nullptr;
  std::string_view hex;
  if (auto error = LookUp(token, key, hex))
    return error;
  DigestStream* stream = StreamFor(*key);
  if (stream == nullptr)
    return RejectReason::kBadDigest;
  stream->Update(bytes);
  if (stream->Finish().view() != hex)
    return RejectReason::kBadDigest;
  return std::nullopt;
}

std::optional<RejectReason> Authenticator::Verify(const Frame& frame) const {
  if (frame.format == WireFormat::kNetstring)
    return VerifyToken(frame.trailer, frame.signed_bytes);
  const FieldView* auth = frame.Find(field::kAuth);
  if (auth == nullptr)
    return RejectReason::kNoDigest;
  const config::AuthKey* key = nullptr;
  std::string_view hex;
  if (auto error = LookUp(auth->value, key, hex))
    return error;
  // The received lines are already in classic form; skip every `auth` line.
  DigestStream* stream = StreamFor(*key);
  if (stream == nullptr)
    return RejectReason::kBadDigest;
  for (const FieldView& f : frame.fields) {
    if (f.name != field::kAuth)
      stream->Update(f.line);
  }
  if (stream->Finish().view() != hex)
    return RejectReason::kBadDigest;
  return std::nullopt;
}

std::optional<RejectReason> Authenticator::VerifyAuthField(const Message& message) const {
  std::optional<std::string_view> token = message.Get(field::kAuth);
  if (!token)
    return RejectReason::kNoDigest;
  return VerifyToken(*token, ClassicSignedText(message));
}

}  // namespace hbd::wire
