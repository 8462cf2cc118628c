#include "wire/authenticator.h"

#include "wire/classic_codec.h"
#include "wire/digest.h"
#include "wire/netstring_codec.h"

namespace hbd::wire {
Authenticator::Authenticator(config::AuthConfig auth) : auth_(std::move(auth)) {
  for (const config::AuthKey& key : auth_.keys) {
    if (key.index >= 0 && key.index < static_cast<int>(prepared_.size()) &&
        !prepared_[static_cast<size_t>(key.index)])
      prepared_[static_cast<size_t>(key.index)].emplace(key.method, key.secret);
  }
}

const DigestKey* Authenticator::Prepared(int index) const {
  if (index < 0 || index >= static_cast<int>(prepared_.size()))
    return nullptr;
  const std::optional<DigestKey>& key = prepared_[static_cast<size_t>(index)];
  return key ? &*key : nullptr;
}

std::string Authenticator::Token(int index, std::string_view bytes) const {
  DigestStream stream(*Prepared(index));
  stream.Update(bytes);
  return std::to_string(index) + " " + std::string(stream.Finish().view());
}

std::string Authenticator::SignBytes(std::string_view bytes) const {
  if (Prepared(auth_.sign_index) == nullptr)
    return std::string();
  return Token(auth_.sign_index, bytes);
}

std::string Authenticator::SignAndEncode(Message& message) const {
  bool signing = Prepared(auth_.sign_index) != nullptr;
  if (signing)
    message.Set(field::kAuth, Token(auth_.sign_index, ClassicSignedText(message)));
  std::string datagram = EncodeNetstringBody(message);
  if (signing)
    datagram += EncodeNetstring(Token(auth_.sign_index, datagram));
  return datagram;
}

std::optional<RejectReason> Authenticator::LookUp(std::string_view token, const DigestKey*& key,
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
  key = Prepared(index);
  if (key == nullptr)
    return RejectReason::kUnknownKeyIndex;
  hex = token.substr(space + 1);
  return std::nullopt;
}

std::optional<RejectReason> Authenticator::VerifyToken(std::string_view token,
                                                       std::string_view bytes) const {
  const DigestKey* key = nullptr;
  std::string_view hex;
  if (auto error = LookUp(token, key, hex))
    return error;
  DigestStream stream(*key);
  stream.Update(bytes);
  if (stream.Finish().view() != hex)
    return RejectReason::kBadDigest;
  return std::nullopt;
}

std::optional<RejectReason> Authenticator::Verify(const Frame& frame) const {
  if (frame.format == WireFormat::kNetstring)
    return VerifyToken(frame.trailer, frame.signed_bytes);
  const FieldView* auth = frame.Find(field::kAuth);
  if (auth == nullptr)
    return RejectReason::kNoDigest;
  const DigestKey* key = nullptr;
  std::string_view hex;
  if (auto error = LookUp(auth->value, key, hex))
    return error;
  // The received lines are already in classic form; skip every `auth` line.
  DigestStream stream(*key);
  for (const FieldView& f : frame.fields) {
    if (f.name != field::kAuth)
      stream.Update(f.line);
  }
  if (stream.Finish().view() != hex)
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
