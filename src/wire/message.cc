#include "wire/message.h"

#include <algorithm>

namespace hbd::wire {

const Field* Message::Find(std::string_view name) const {
  for (const Field& f : fields_) {
    if (f.name == name)
      return &f;
  }
  return nullptr;
}

std::optional<std::string_view> Message::Get(std::string_view name) const {
  const Field* f = Find(name);
  if (f == nullptr)
    return std::nullopt;
  return std::string_view(f->value);
}

void Message::Set(std::string_view name, std::string_view value, FieldType type) {
  for (Field& f : fields_) {
    if (f.name == name) {
      f.type = type;
      f.value.assign(value);
      return;
    }
  }
  Add(name, value, type);
}

void Message::Add(std::string_view name, std::string_view value, FieldType type) {
  fields_.push_back(Field{std::string(name), type, std::string(value)});
}

size_t Message::Remove(std::string_view name) {
  return std::erase_if(fields_, [&](const Field& f) { return f.name == name; });
}

}  // namespace hbd::wire
