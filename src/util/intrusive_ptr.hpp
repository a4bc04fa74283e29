#pragma once
// A counted reference to an object that counts itself (retain()/release()).
// Copy = retain, destruction = release; the pointee decides how it is freed.
#include <utility>

namespace cachet {

template <class T>
class IntrusivePtr {
public:
    IntrusivePtr() noexcept = default;
    // Adopts a reference the caller already holds (e.g. the initial count of 1).
    static IntrusivePtr adopt(T* p) noexcept {
        IntrusivePtr r;
        r.p_ = p;
        return r;
    }
    // Takes a new reference.
    static IntrusivePtr share(T* p) noexcept {
        if (p) p->retain();
        return adopt(p);
    }
    IntrusivePtr(const IntrusivePtr& o) noexcept : p_(o.p_) {
        if (p_) p_->retain();
    }
    IntrusivePtr(IntrusivePtr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    IntrusivePtr& operator=(IntrusivePtr o) noexcept {
        std::swap(p_, o.p_);
        return *this;
    }
    ~IntrusivePtr() {
        if (p_) p_->release();
    }
    T* get() const noexcept { return p_; }
    T* operator->() const noexcept { return p_; }
    T& operator*() const noexcept { return *p_; }
    explicit operator bool() const noexcept { return p_ != nullptr; }
    void reset() noexcept { IntrusivePtr().swap(*this); }
    void swap(IntrusivePtr& o) noexcept { std::swap(p_, o.p_); }
    // Gives up the reference without releasing it.
    T* detach() noexcept { return std::exchange(p_, nullptr); }

private:
    T* p_ = nullptr;
};

}  // namespace cachet
