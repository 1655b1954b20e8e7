// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createClientApi } from '@shared/client-api'
import { setApi } from '@renderer/bridge'
import NoticeBanners from '@renderer/components/NoticeBanners.vue'
import { useNoticesStore } from '@renderer/stores/notices'
import { FakeTransport } from './fake-transport'

afterEach(() => setApi(undefined))

describe('the "Progress not saved" banner', () => {
  it('shows while saves fail and goes once one succeeds, without a dismiss button', async () => {
    const host = new FakeTransport()
    setApi(createClientApi(host))
    const pinia = createPinia()
    const wrapper = mount(NoticeBanners, { global: { plugins: [pinia] } })
    const notices = useNoticesStore(pinia)
    notices.listen()
    expect(wrapper.find('[data-testid="not-saved"]').exists()).toBe(false)

    const message =
      'Progress not saved: the disk is full. Your progress is kept while Socket Labs runs, and saving is tried again.'
    host.emit('progress:saveStatus', { saved: false, message })
    await flushPromises()
    const banner = wrapper.get('[data-testid="not-saved"]')
    expect(banner.text()).toBe(message)
    expect(banner.attributes('role')).toBe('alert')
    expect(banner.find('button').exists()).toBe(false)

    host.emit('progress:saveStatus', { saved: true })
    await flushPromises()
    expect(wrapper.find('[data-testid="not-saved"]').exists()).toBe(false)

    notices.stop()
    expect(host.listenerCount('progress:saveStatus')).toBe(0)
    expect(host.listenerCount('app:notice')).toBe(0)
    wrapper.unmount()
  })
})
